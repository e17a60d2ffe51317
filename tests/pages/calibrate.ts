/**
 * Page for scripts/calibrate-framing.ts: pastes FER2013 faces into larger frames and reports where
 * the face detector puts its box and eye keypoints relative to the pasted face square.
 */
import { fitCrop } from '../../src/engine/crop-geometry';
import { CALIBRATED_FRAMING } from '../../src/engine/engine';
import { createMediaPipeDetector } from '../../src/engine/mediapipe-detector';
import type { FaceDetector } from '../../src/engine/types';

export interface Placement {
  /** The pasted face square: top-left and side, frame pixels. */
  px: number;
  py: number;
  side: number;
  /** The detection (if any) with the highest score. */
  box?: { x: number; y: number; width: number; height: number };
  eyes?: { right: { x: number; y: number }; left: { x: number; y: number } };
  score?: number;
}

let detector: Promise<FaceDetector> | undefined;

async function paste(faces: number[][], side: number, seed: number): Promise<Placement[]> {
  return pasteAt(faces, side, undefined, undefined, seed);
}

async function pasteAt(
  faces: number[][],
  side: number,
  fx?: number,
  fy?: number,
  seed = 1,
): Promise<Placement[]> {
  detector ??= createMediaPipeDetector({
    wasmBase: '/node_modules/@mediapipe/tasks-vision/wasm',
    modelUrl: '/models/face-detector/face_detection_short_range.tflite',
    minDetectionConfidence: 0.3,
  });
  const d = await detector;
  const W = 640;
  const H = 480;
  const frame = new OffscreenCanvas(W, H);
  const g = frame.getContext('2d');
  const face = new OffscreenCanvas(48, 48);
  const fg = face.getContext('2d');
  if (!g || !fg) throw new Error('2D canvas unavailable');
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: Placement[] = [];
  for (const pixels of faces) {
    const img = fg.createImageData(48, 48);
    pixels.forEach((v, i) => {
      img.data.set([v, v, v, 255], i * 4);
    });
    fg.putImageData(img, 0, 0);
    g.fillStyle = '#808080';
    g.fillRect(0, 0, W, H);
    const px = fx ?? Math.round(rand() * (W - side));
    const py = fy ?? Math.round(rand() * (H - side));
    g.imageSmoothingQuality = 'high';
    g.drawImage(face, px, py, side, side);
    const bitmap = await createImageBitmap(frame);
    const found = (await d.detect(bitmap, 0)).sort((a, b) => b.score - a.score)[0];
    bitmap.close();
    const [right, left] = found?.keypoints ?? [];
    out.push({
      px,
      py,
      side,
      box: found?.box,
      eyes: right && left ? { right, left } : undefined,
      score: found?.score,
    });
  }
  return out;
}

/** Where the engine would cut the face pasted at (200, 120) with `side` px: its crop square, or null. */
async function cropOfPasted(
  pixels: number[],
  side: number,
): Promise<{ x: number; y: number; side: number } | null> {
  const [placement] = await pasteAt([pixels], side, 200, 120);
  if (!placement?.box) return null;
  const crop = fitCrop(placement.box, placement.eyes, CALIBRATED_FRAMING, { width: 640, height: 480 });
  return { x: crop.centre.x - crop.side / 2, y: crop.centre.y - crop.side / 2, side: crop.side };
}

(window as unknown as { calibrate: object }).calibrate = { paste, cropOfPasted };
document.body.dataset.ready = 'true';
