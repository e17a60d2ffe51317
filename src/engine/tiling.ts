/**
 * Small faces: BlazeFace short range sees the frame at 128x128, so a face under about a fifth of the
 * frame's height is often missed. When the whole frame gives no face, the engine looks again in
 * overlapping tiles (each seen at the detector's full resolution) and merges what the tiles find.
 * A 3x3 grid finds more of them than 2x2 (`npm run pipeline-accuracy`, src/engine/README.md): a
 * 2x2 tile still shrinks a face of 15-26 % of a 640x480 frame's height to about 25 pixels.
 * That costs nine more detector runs, so a source whose tiles keep coming up empty (an empty room, a
 * shared screen) has them looked at only now and then (`TileFallback`).
 */
import type { Box, Detection } from './types';
import { iou } from './tracking';

/** grid x grid tiles covering the frame, each overlapping its neighbours by `overlap` of its size. */
export function tileRects(width: number, height: number, grid: number, overlap = 0.25): Box[] {
  const tw = width / (grid - (grid - 1) * overlap);
  const th = height / (grid - (grid - 1) * overlap);
  const rects: Box[] = [];
  for (let r = 0; r < grid; r++) {
    for (let c = 0; c < grid; c++) {
      rects.push({
        x: Math.round(c * tw * (1 - overlap)),
        y: Math.round(r * th * (1 - overlap)),
        width: Math.round(tw),
        height: Math.round(th),
      });
    }
  }
  return rects;
}

export function offsetDetection(d: Detection, dx: number, dy: number): Detection {
  return {
    ...d,
    box: { ...d.box, x: d.box.x + dx, y: d.box.y + dy },
    keypoints: d.keypoints.map((k) => ({ x: k.x + dx, y: k.y + dy })),
  };
}

/** Non-maximum suppression: of detections overlapping by more than `threshold` IoU, the best scored stays. */
export function suppress(detections: readonly Detection[], threshold = 0.3): Detection[] {
  const kept: Detection[] = [];
  for (const d of [...detections].sort((a, b) => b.score - a.score)) {
    if (kept.every((k) => iou(k.box, d.box) <= threshold)) kept.push(d);
  }
  return kept;
}

export interface TileFallbackOptions {
  /** Faceless frames in a row, tiles included, after which tiles are looked at only now and then. */
  patience: number;
  /** Then every this many faceless frames (a person who comes in small is still found). */
  retryEvery: number;
}

/** At 2 frames a second per video: three frames of full effort, then a look in tiles every 4 s. */
export const DEFAULT_TILE_FALLBACK: TileFallbackOptions = { patience: 3, retryEvery: 8 };

/** When one source's frames get the tile fallback: each frame without a face asks `shouldTry`. */
export class TileFallback {
  /** Frames in a row whose tiles were looked at and held no face. */
  private empty = 0;
  private sinceTry = 0;

  constructor(private readonly options: TileFallbackOptions = DEFAULT_TILE_FALLBACK) {}

  /** The whole frame gave no face: look in its tiles? */
  shouldTry(): boolean {
    if (this.empty < this.options.patience) return true;
    if (++this.sinceTry < this.options.retryEvery) return false;
    this.sinceTry = 0;
    return true;
  }

  /** What a frame found (in the whole frame, or in its tiles when they were looked at). */
  record(found: boolean): void {
    if (found) {
      this.empty = 0;
      this.sinceTry = 0;
    } else this.empty++;
  }
}
