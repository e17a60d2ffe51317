/**
 * Tab-capture mode: instead of frames, the page sends the tiles' places on screen (the engine cuts
 * them from the tab's picture), twice a second when they changed and every 5 s regardless.
 */
import type { CaptureRegion, CaptureViewport } from '../shared/protocol';
import { measureVideo, type TileElement } from './overlay';
import type { TileSources } from './tile-sources';

export interface RegionsContext {
  doc: Document;
  sources: TileSources;
  /** The tiles to send (analysable videos and canvases), while analysis is on; else none is sent. */
  tiles: () => TileElement[] | undefined;
  send: ((regions: CaptureRegion[], viewport: CaptureViewport) => void) | undefined;
}

export class CaptureRegions {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last = '';
  private lastAt = 0;

  constructor(private readonly ctx: RegionsContext) {}

  start(): void {
    this.stop();
    this.timer = setInterval(() => this.push(), 500);
    this.push();
  }

  stop(): void {
    clearInterval(this.timer);
    this.last = '';
  }

  private push(): void {
    const { doc, sources } = this.ctx;
    if (doc.hidden) return;
    const tiles = this.ctx.tiles();
    if (!tiles) return;
    const now = performance.now();
    const regions: CaptureRegion[] = tiles.map((el) => {
      const { box } = measureVideo(el);
      const s = sources.of(el);
      return {
        sourceId: s.id,
        rect: { x: box.x, y: box.y, width: box.width, height: box.height },
        label: sources.nameOf(el, s, now),
      };
    });
    const view = doc.defaultView;
    const viewport: CaptureViewport = {
      width: view?.innerWidth ?? 0,
      height: view?.innerHeight ?? 0,
      devicePixelRatio: view?.devicePixelRatio ?? 1,
    };
    const key = JSON.stringify([regions, viewport]);
    if (key === this.last && now - this.lastAt < 5000) return;
    this.last = key;
    this.lastAt = now;
    this.ctx.send?.(regions, viewport);
  }
}
