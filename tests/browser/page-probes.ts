/**
 * Functions evaluated inside the tested page (Playwright and puppeteer serialise them), so they
 * must not use anything from the enclosing module.
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OverlaySnapshot {
  /**
   * Content boxes of the page's analysable videos, measured by the page itself; where the page
   * says where a face is (data-face-x/y, video pixels, as the demo does), its point on screen.
   */
  videos: { id: string; box: Box; picture: Box; face?: { x: number; y: number } }[];
  /** The overlay layers, their picture boxes and face boxes, as drawn. */
  layers: { box: Box; picture: Box; faces: Box[] }[];
  hostPresent: boolean;
  pointerEvents: string;
}

/** Measures every analysable video (visible, >= 64 px) and every overlay layer. */
export function snapshotOverlay(): OverlaySnapshot {
  const all: HTMLVideoElement[] = [];
  const walk = (root: Document | ShadowRoot) => {
    root.querySelectorAll('video').forEach((v) => all.push(v));
    root.querySelectorAll('*').forEach((el) => {
      if (el.shadowRoot) walk(el.shadowRoot);
    });
  };
  walk(document);
  const toBox = (r: DOMRect): Box => ({ x: r.left, y: r.top, width: r.width, height: r.height });
  const videos = all
    .filter((v) => {
      const r = v.getBoundingClientRect();
      return (
        r.width >= 64 &&
        r.height >= 64 &&
        v.checkVisibility({ opacityProperty: true, visibilityProperty: true })
      );
    })
    .map((v, i) => {
      const s = getComputedStyle(v);
      const n = (p: string) => parseFloat(s.getPropertyValue(p)) || 0;
      const r = v.getBoundingClientRect();
      const box = {
        x: r.left + n('border-left-width') + n('padding-left'),
        y: r.top + n('border-top-width') + n('padding-top'),
        width:
          r.width - n('border-left-width') - n('border-right-width') - n('padding-left') - n('padding-right'),
        height:
          r.height -
          n('border-top-width') -
          n('border-bottom-width') -
          n('padding-top') -
          n('padding-bottom'),
      };
      // expected picture rectangle, computed independently of the extension
      const iw = v.videoWidth;
      const ih = v.videoHeight;
      let picture = box;
      if (iw > 0 && ih > 0 && s.objectFit !== 'fill') {
        const scale =
          s.objectFit === 'cover'
            ? Math.max(box.width / iw, box.height / ih)
            : Math.min(box.width / iw, box.height / ih);
        const w = iw * scale;
        const h = ih * scale;
        const [px = '50%', py = '50%'] = s.objectPosition.split(' ');
        const frac = (t: string) => (t.endsWith('%') ? parseFloat(t) / 100 : 0.5);
        picture = {
          x: box.x + (box.width - w) * frac(px),
          y: box.y + (box.height - h) * frac(py),
          width: w,
          height: h,
        };
      }
      // the face's point on screen: through object-fit, and mirrored when the video is drawn flipped
      const fx = parseFloat(v.dataset.faceX ?? '');
      const fy = parseFloat(v.dataset.faceY ?? '');
      const flipped = /^matrix\(\s*-/.test(s.transform);
      const face =
        Number.isFinite(fx) && Number.isFinite(fy) && iw > 0 && ih > 0
          ? {
              x: picture.x + ((flipped ? iw - fx : fx) * picture.width) / iw,
              y: picture.y + (fy * picture.height) / ih,
            }
          : undefined;
      return { id: v.id || `video-${i}`, box, picture, ...(face ? { face } : {}) };
    });
  const host = document.querySelector('[data-moodlens-overlay]');
  const layers = [...(host?.shadowRoot?.querySelectorAll('.layer') ?? [])].map((layer) => ({
    box: toBox(layer.getBoundingClientRect()),
    picture: toBox((layer.querySelector('.picture') as HTMLElement).getBoundingClientRect()),
    faces: [...layer.querySelectorAll('.face')].map((f) => toBox(f.getBoundingClientRect())),
  }));
  const root = host?.shadowRoot?.querySelector('.root');
  return {
    videos,
    layers,
    hostPresent: Boolean(host),
    pointerEvents: root ? getComputedStyle(root).pointerEvents : '',
  };
}

/** True when each analysable video has exactly one layer within `tol` px (and no layer is left over). */
export function overlaysMatch(snapshot: OverlaySnapshot, tol = 2): boolean {
  if (snapshot.videos.length === 0 || snapshot.videos.length !== snapshot.layers.length) return false;
  const close = (a: Box, b: Box) =>
    Math.abs(a.x - b.x) <= tol &&
    Math.abs(a.y - b.y) <= tol &&
    Math.abs(a.width - b.width) <= tol &&
    Math.abs(a.height - b.height) <= tol;
  const used = new Set<number>();
  return snapshot.videos.every((v) => {
    const i = snapshot.layers.findIndex((l, j) => !used.has(j) && close(l.box, v.box));
    if (i < 0) return false;
    used.add(i);
    return true;
  });
}

export interface FaceBoxError {
  id: string;
  distance: number;
  inside: boolean;
}

/**
 * For each video whose page says where its face is: how far (px) the centre of the face box drawn
 * over it is from that point, and whether the box contains it. Infinity when no box is drawn.
 */
export function faceBoxErrors(
  snapshot: OverlaySnapshot,
): { id: string; distance: number; inside: boolean }[] {
  return snapshot.videos.flatMap((v) => {
    const point = v.face;
    if (!point) return [];
    const layer = snapshot.layers.find(
      (l) => Math.abs(l.box.x - v.box.x) <= 2 && Math.abs(l.box.y - v.box.y) <= 2,
    );
    const boxes = layer?.faces ?? [];
    const scored = boxes.map((b) => ({
      distance: Math.hypot(b.x + b.width / 2 - point.x, b.y + b.height / 2 - point.y),
      inside: point.x >= b.x && point.x <= b.x + b.width && point.y >= b.y && point.y <= b.y + b.height,
    }));
    const best = scored.sort((a, b) => a.distance - b.distance)[0];
    return [{ id: v.id, distance: best?.distance ?? Infinity, inside: best?.inside ?? false }];
  });
}

/** The worst distance between a video's expected picture box and its layer's picture box. */
export function worstPictureError(snapshot: OverlaySnapshot): number {
  let worst = 0;
  for (const v of snapshot.videos) {
    const layer = snapshot.layers.find(
      (l) => Math.abs(l.box.x - v.box.x) <= 2 && Math.abs(l.box.y - v.box.y) <= 2,
    );
    if (!layer) return Infinity;
    // getBoundingClientRect ignores the layer's clipping: compare whole picture rectangles
    const a = v.picture;
    const b = layer.picture;
    worst = Math.max(
      worst,
      Math.abs(a.x - b.x),
      Math.abs(a.y - b.y),
      Math.abs(a.width - b.width),
      Math.abs(a.height - b.height),
    );
  }
  return worst;
}

/** Labelled faces drawn over each video: for each overlay layer, its faces' label text and boxes. */
export function snapshotFaces(): { layer: Box; faces: { text: string; dominant: string; box: Box }[] }[] {
  const root = document.querySelector('[data-moodlens-overlay]')?.shadowRoot;
  const toBox = (r: DOMRect): Box => ({ x: r.left, y: r.top, width: r.width, height: r.height });
  return [...(root?.querySelectorAll('.layer') ?? [])].map((layer) => ({
    layer: toBox(layer.getBoundingClientRect()),
    faces: [...layer.querySelectorAll<HTMLElement>('.face')].map((f) => ({
      text: f.querySelector('.label')?.textContent ?? '',
      dominant: f.dataset.dominant ?? '',
      box: toBox(f.getBoundingClientRect()),
    })),
  }));
}

/** The demo layouts the face-placement tests use (demo/meeting.ts options), with still faces. */
export const PLACEMENT_LAYOUTS = [
  {
    name: 'object-fit cover (cropped 16:9 tiles), the second tile mirrored',
    query: '?still=1&tiles=4&wide=1&mirror=1',
  },
  {
    name: 'object-fit contain (letterboxed), the third tile mirrored',
    query: '?still=1&tiles=4&wide=1&fit=contain&mirror=2',
  },
] as const;

/** Page-side source of an expression giving faceBoxErrors for the page now (page.evaluate runs it). */
export const FACE_BOX_ERRORS = `(${faceBoxErrors.toString()})((${snapshotOverlay.toString()})())`;

/**
 * What a meeting page's own script can read of MoodLens's conclusions: every attribute, the text of
 * the document and of every open shadow root, and `innerText`, searched for expression words.
 */
export function readLikeAHostilePage(): {
  overlayHostFound: boolean;
  overlayRootOpen: boolean;
  hits: string[];
} {
  const words = /\b(angry|disgust|fear|happy|sad|surprise|neutral)\b/i;
  const hits: string[] = [];
  const look = (where: string, text: string | null) => {
    if (text && words.test(text)) hits.push(`${where}: ${text.slice(0, 80)}`);
  };
  const walk = (root: Document | ShadowRoot, where: string) => {
    look(`${where} text`, root instanceof Document ? root.documentElement.textContent : root.textContent);
    for (const el of root.querySelectorAll('*')) {
      for (const name of el.getAttributeNames())
        look(`${where} ${el.localName}[${name}]`, el.getAttribute(name));
      if (el.shadowRoot) walk(el.shadowRoot, `${where} ${el.localName}::shadow`);
    }
  };
  walk(document, 'document');
  look('innerText', document.body.innerText);
  const host = document.querySelector('[data-moodlens-overlay]');
  return { overlayHostFound: host !== null, overlayRootOpen: Boolean(host?.shadowRoot), hits };
}

/** Marks the face boxes drawn now (the overlay draws new ones for each analysed frame). */
export function markFacesSeen(): number {
  const root = document.querySelector('[data-moodlens-overlay]')?.shadowRoot;
  const faces = [...(root?.querySelectorAll('.face') ?? [])];
  faces.forEach((f) => f.setAttribute('data-seen', ''));
  return faces.length;
}

/** True once a face box drawn after markFacesSeen is showing. */
export function freshFacesShown(): boolean {
  const root = document.querySelector('[data-moodlens-overlay]')?.shadowRoot;
  return [...(root?.querySelectorAll('.face') ?? [])].some((f) => !f.hasAttribute('data-seen'));
}

/** The client re-renders its grid: each <video> replaced by a new element playing the same stream. */
export function recreateVideos(): void {
  for (const old of document.querySelectorAll('video')) {
    const video = document.createElement('video');
    for (const { name, value } of old.attributes) video.setAttribute(name, value);
    video.muted = true;
    video.srcObject = old.srcObject;
    old.replaceWith(video);
    void video.play();
  }
}
