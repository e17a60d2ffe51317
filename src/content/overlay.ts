import { contentBox, objectFitRect, type Edges, type Rect } from './geometry';
import { participantColour, participantId } from './participant-colour';

/**
 * The overlay layer: one host element whose shadow root holds, for each analysable video, a box
 * exactly over the video's content box, and inside it a box over the displayed picture (after
 * object-fit). It never catches pointer events and never changes the page's layout (fixed
 * position, out of flow). In fullscreen the host moves into the fullscreen element, since only
 * that element's subtree is drawn then.
 */
export const OVERLAY_HOST_ATTR = 'data-moodlens-overlay';

/** The URL parameter that makes a development build's overlay behave as in the store build. */
export const CLOSED_OVERLAY_PARAM = 'moodlens-closed-overlay';

/**
 * Closed: no script of the page can read the labels and probabilities MoodLens draws over its
 * participants. Development builds open it (a test hook: the browser tests measure the overlay from
 * the page) unless the page's URL has `moodlens-closed-overlay`, which the hostile-page test uses.
 */
export function overlayShadowMode(location: Pick<Location, 'search'>): ShadowRootMode {
  return __MOODLENS_DEV__ && !new URLSearchParams(location.search).has(CLOSED_OVERLAY_PARAM)
    ? 'open'
    : 'closed';
}

const STYLE = `
:host { all: initial; position: fixed !important; inset: 0; display: block; pointer-events: none; z-index: 2147483647; }
.root { position: fixed; inset: 0; pointer-events: none; z-index: 2147483647; overflow: hidden; }
.layer { position: absolute; box-sizing: border-box; overflow: hidden; pointer-events: none;
  outline: 1px solid rgba(124, 92, 255, 0.55); outline-offset: -1px; }
.picture { position: absolute; pointer-events: none; }
.tag { position: absolute; left: 4px; top: 4px; font: 600 11px/1.4 system-ui, sans-serif; color: #fff;
  background: rgba(60, 40, 140, 0.8); padding: 1px 6px; border-radius: 8px; }
.face { position: absolute; box-sizing: border-box; border: 2px solid var(--c); border-radius: 4px; }
.face .label { position: absolute; left: -2px; bottom: 100%; margin-bottom: 2px; white-space: nowrap;
  font: 600 12px/1.3 system-ui, sans-serif; color: #fff; background: rgba(20, 20, 30, 0.8); padding: 1px 6px 3px;
  border-radius: 4px; border-left: 4px solid var(--c); }
.face.label-inside .label { bottom: auto; top: 0; margin: 0; }
.face .bar { display: block; height: 3px; margin-top: 2px; background: var(--c); }
.compact .face { border-color: transparent; }
.compact .face .label { display: none; }
.badge { position: absolute; right: 4px; top: 4px; font: 600 12px/1.4 system-ui, sans-serif; color: #fff;
  background: rgba(20, 20, 30, 0.8); padding: 1px 8px; border-radius: 10px; border-left: 4px solid var(--c); }
.indicator { position: fixed; right: 12px; bottom: 12px; font: 600 12px/1.5 system-ui, sans-serif; color: #fff;
  background: rgba(60, 40, 140, 0.9); padding: 4px 10px; border-radius: 12px; }
`;

function px(v: string): number {
  const n = parseFloat(v);
  return Number.isFinite(n) ? n : 0;
}

function edges(style: CSSStyleDeclaration, kind: 'border' | 'padding'): Edges {
  const get = (side: string) =>
    px(style.getPropertyValue(kind === 'border' ? `border-${side}-width` : `padding-${side}`));
  return { top: get('top'), right: get('right'), bottom: get('bottom'), left: get('left') };
}

export interface VideoPlacement {
  /** The video's content box in viewport pixels. */
  box: Rect;
  /** Where its picture is drawn (object-fit, object-position), in viewport pixels. */
  picture: Rect;
  /** Drawn mirrored (a negative horizontal scale, as self-views are). */
  mirrored: boolean;
}

/** Faces to draw over a video, in the video's own pixels. */
export interface FaceLabel {
  trackId: number;
  /** The tile's own participant (the engine decides; src/shared/participant-id.ts). */
  primary: boolean;
  box: Rect;
  dominant: string;
  confidence: number;
}

/** True when a computed `transform` flips the x axis (matrix(a, b, c, d, e, f) with a < 0). */
export function isMirrored(transform: string): boolean {
  const m = /^matrix\(([^,]+),/.exec(transform);
  return m ? parseFloat(m[1] ?? '1') < 0 : false;
}

/** What the overlay draws over: a video, or (tab-capture mode) a canvas the page draws video into. */
export type TileElement = HTMLVideoElement | HTMLCanvasElement;

export function measureVideo(video: TileElement): VideoPlacement {
  const style = getComputedStyle(video);
  const r = video.getBoundingClientRect();
  const box = contentBox(
    { x: r.left, y: r.top, width: r.width, height: r.height },
    edges(style, 'border'),
    edges(style, 'padding'),
  );
  const picture = objectFitRect(
    box,
    video instanceof HTMLVideoElement
      ? { width: video.videoWidth, height: video.videoHeight }
      : { width: video.width, height: video.height },
    style.objectFit || (video instanceof HTMLVideoElement ? 'contain' : 'fill'),
    style.objectPosition || '50% 50%',
  );
  return { box, picture, mirrored: isMirrored(style.transform) };
}

interface LayerParts {
  layer: HTMLDivElement;
  picture: HTMLDivElement;
  last: string;
  mirrored: boolean;
  facesAt: number;
}

/** Faces not refreshed for this long are taken off. */
const FACE_TTL_MS = 3000;

export class OverlayLayer {
  private readonly host: HTMLElement;
  private readonly root: HTMLDivElement;
  private readonly layers = new Map<TileElement, LayerParts>();
  private nextId = 1;
  private style: 'full' | 'compact' = 'full';

  constructor(private readonly doc: Document) {
    for (const stale of doc.querySelectorAll(`[${OVERLAY_HOST_ATTR}]`)) stale.remove();
    this.host = doc.createElement('moodlens-overlay');
    this.host.setAttribute(OVERLAY_HOST_ATTR, '');
    // out of flow wherever it is attached (a fullscreen grid container must not get an extra cell)
    this.host.style.cssText = 'position:fixed;inset:0;display:block;pointer-events:none;z-index:2147483647;';
    const shadow = this.host.attachShadow({ mode: overlayShadowMode(doc.location) });
    const style = doc.createElement('style');
    style.textContent = STYLE;
    this.root = doc.createElement('div');
    this.root.className = 'root';
    const indicator = doc.createElement('div');
    indicator.className = 'indicator';
    indicator.setAttribute('role', 'status');
    indicator.textContent = 'MoodLens is analysing expressions on this page';
    this.root.append(indicator);
    shadow.append(style, this.root);
    this.attach();
  }

  /** Keeps the host where it is drawn: in the fullscreen element when there is one. */
  attach(): void {
    const fs = this.doc.fullscreenElement;
    const parent = fs && !(fs instanceof HTMLVideoElement) ? fs : this.doc.documentElement;
    if (this.host.parentNode !== parent) parent.append(this.host);
  }

  /** Brings the layers in line with `videos` (the analysable ones) and their current placement. */
  update(videos: Iterable<TileElement>): void {
    this.attach();
    const keep = new Set<TileElement>();
    for (const video of videos) {
      keep.add(video);
      let parts = this.layers.get(video);
      if (!parts) {
        const layer = this.doc.createElement('div');
        layer.className = 'layer';
        layer.dataset.videoId = String(this.nextId++);
        const picture = this.doc.createElement('div');
        picture.className = 'picture';
        const tag = this.doc.createElement('div');
        tag.className = 'tag';
        tag.textContent = 'MoodLens';
        layer.append(picture, tag);
        this.root.append(layer);
        parts = { layer, picture, last: '', mirrored: false, facesAt: 0 };
        this.layers.set(video, parts);
      }
      const { box, picture, mirrored } = measureVideo(video);
      parts.mirrored = mirrored;
      if (parts.facesAt && performance.now() - parts.facesAt > FACE_TTL_MS) this.clearFaces(parts);
      const key = [
        box.x,
        box.y,
        box.width,
        box.height,
        picture.x,
        picture.y,
        picture.width,
        picture.height,
      ].join();
      if (key === parts.last) continue;
      parts.last = key;
      Object.assign(parts.layer.style, {
        left: `${box.x}px`,
        top: `${box.y}px`,
        width: `${box.width}px`,
        height: `${box.height}px`,
      });
      Object.assign(parts.picture.style, {
        left: `${picture.x - box.x}px`,
        top: `${picture.y - box.y}px`,
        width: `${picture.width}px`,
        height: `${picture.height}px`,
      });
    }
    for (const [video, parts] of this.layers) {
      if (!keep.has(video)) {
        parts.layer.remove();
        this.layers.delete(video);
      }
    }
  }

  /**
   * Draws the faces found in a frame of `video` (sized frameWidth x frameHeight). Positions are
   * fractions of the frame, so they land on the displayed picture whatever object-fit does; a
   * mirrored video mirrors them too.
   */
  showFaces(
    video: TileElement,
    frameWidth: number,
    frameHeight: number,
    faces: readonly FaceLabel[],
    /** The tile's source id: colours follow participants (see participant-colour.ts). */
    sourceId = '',
    /**
     * What the frame shows: the video's picture (element mode), or the tile's box on screen as
     * the tab's capture shows it (tab-capture mode: already as displayed, mirrored or not).
     */
    space: 'picture' | 'screen' = 'picture',
  ): void {
    const parts = this.layers.get(video);
    if (!parts) return;
    this.clearFaces(parts);
    parts.facesAt = performance.now();
    const into = space === 'screen' ? parts.layer : parts.picture;
    const mirrored = space === 'picture' && parts.mirrored;
    for (const f of faces) {
      const left = (mirrored ? frameWidth - f.box.x - f.box.width : f.box.x) / frameWidth;
      const el = this.doc.createElement('div');
      el.className = 'face';
      el.dataset.track = String(f.trackId);
      el.dataset.dominant = f.dominant;
      // a face at the top of the picture gets its label inside the box, where it stays visible
      if (f.box.y / frameHeight < 0.12) el.classList.add('label-inside');
      el.style.setProperty('--c', participantColour(participantId(sourceId, f)));
      Object.assign(el.style, {
        left: `${left * 100}%`,
        top: `${(f.box.y / frameHeight) * 100}%`,
        width: `${(f.box.width / frameWidth) * 100}%`,
        height: `${(f.box.height / frameHeight) * 100}%`,
      });
      const label = this.doc.createElement('div');
      label.className = 'label';
      label.textContent = `${f.dominant} ${Math.round(f.confidence * 100)}%`;
      const bar = this.doc.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${Math.round(f.confidence * 100)}%`;
      label.append(bar);
      el.append(label);
      into.append(el);
    }
    const main =
      faces.find((f) => f.primary) ??
      [...faces].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];
    if (this.style === 'compact' && main) {
      const badge = this.doc.createElement('div');
      badge.className = 'badge';
      badge.style.setProperty('--c', participantColour(participantId(sourceId, main)));
      badge.textContent = `${main.dominant} ${Math.round(main.confidence * 100)}%${faces.length > 1 ? ` +${faces.length - 1}` : ''}`;
      into.append(badge);
    }
  }

  /** Full: a box and a label on each face. Compact: one badge per tile (its primary or largest face). */
  setStyle(style: 'full' | 'compact'): void {
    this.style = style;
    this.root.classList.toggle('compact', style === 'compact');
  }

  private clearFaces(parts: LayerParts): void {
    for (const el of parts.layer.querySelectorAll('.face, .badge')) el.remove();
    parts.facesAt = 0;
  }

  get size(): number {
    return this.layers.size;
  }

  destroy(): void {
    this.host.remove();
    this.layers.clear();
  }
}
