/**
 * Small faces: BlazeFace short range sees the frame at 128x128, so a face under about a fifth of the
 * frame's height is often missed. When the whole frame gives no face, the engine looks again in
 * overlapping tiles (each seen at the detector's full resolution) and merges what the tiles find.
 */
import type { Box, Detection } from './types';
import { iou } from './tracking';

/** grid x grid tiles covering the frame, each overlapping its neighbours by `overlap` of its size. */
export function tileRects(width: number, height: number, grid = 2, overlap = 0.25): Box[] {
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
