/**
 * Meeting clients re-create a participant's <video> when the grid changes (a re-render, a layout
 * switch). Where the site gives a participant key, the key carries the participant over
 * (tile-sources.ts). Without one, the tile that left is remembered for a while: a video that
 * appears where it was (most of the same box, in page coordinates) showing the same name takes
 * over its source id, so the participant keeps one id, one name and one timeline.
 */
import type { Rect } from './geometry';

export interface DepartedTile {
  id: string;
  /** The name the page showed on the tile; undefined when it showed none. */
  name: string | undefined;
  /** Where the tile was, in page coordinates (the viewport's box plus the scroll offsets). */
  box: Rect;
  leftAt: number;
}

/** How long a tile that left is remembered (ms): a re-render takes a moment, a new layout longer. */
export const DEPARTED_MEMORY_MS = 10_000;

/** The least overlap (intersection over union) of the two boxes for a video to be the same tile. */
const SAME_PLACE = 0.5;

export function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

export class DepartedTiles {
  private tiles: DepartedTile[] = [];

  constructor(private readonly memoryMs = DEPARTED_MEMORY_MS) {}

  /** A tile left the page. */
  remember(tile: DepartedTile): void {
    this.tiles.push(tile);
  }

  /**
   * The id of a tile that left within the memory at the same place with the same name, if any
   * (the best overlap); it is handed over once. Two tiles with no name are the same name.
   */
  claim(name: string | undefined, box: Rect, now: number): string | undefined {
    this.tiles = this.tiles.filter((t) => now - t.leftAt <= this.memoryMs);
    let best: DepartedTile | undefined;
    let bestOverlap = SAME_PLACE;
    for (const t of this.tiles) {
      const o = overlap(t.box, box);
      if (t.name === name && o >= bestOverlap) {
        best = t;
        bestOverlap = o;
      }
    }
    if (best) this.tiles = this.tiles.filter((t) => t !== best);
    return best?.id;
  }
}
