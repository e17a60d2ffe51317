/**
 * Page for scripts/calibrate-framing.ts: pastes FER2013 faces into larger frames and reports where
 * the face detector puts its box and eye keypoints relative to the pasted face square.
 */
import { fitCrop, type FramingRule } from '../../src/engine/crop-geometry';
import { CALIBRATED_FRAMING } from '../../src/engine/engine';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_ENGINE, Engine } from '../../src/engine/engine';
import { FaceCropper } from '../../src/engine/face-crop';
import { FerClassifier } from '../../src/engine/fer/classifier';
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

let pipelineParts: Promise<{ engine: Engine; classifier: FerClassifier }> | undefined;

/** The engine with the classifier in `model` (a folder the server has under /models/). */
async function parts(model: string): Promise<{ engine: Engine; classifier: FerClassifier }> {
  setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm unavailable');
  const manifest: unknown = await (await fetch(`/models/${model}/model.json`)).json();
  const classifier = await FerClassifier.load({
    manifest,
    readFile: async (name) => (await fetch(`/models/${model}/${name}`)).arrayBuffer(),
  });
  detector ??= createMediaPipeDetector({
    wasmBase: '/node_modules/@mediapipe/tasks-vision/wasm',
    modelUrl: '/models/face-detector/face_detection_short_range.tflite',
  });
  const engine = new Engine(await detector, classifier, new FaceCropper(), {
    ...DEFAULT_ENGINE,
    smoothingHalfLifeMs: 0,
  });
  return { engine, classifier };
}

/**
 * Pipeline accuracy: each face is classified directly (48x48) and through the whole engine after
 * being pasted into a 640x480 frame at a random scale (15-60 % of the frame height), place and
 * rotation on a random background (flat, gradient or noise). Returns, for each, the direct and the
 * pipeline probabilities (null when no face was found), those of the pasted square itself cut out,
 * and how the face was pasted (side as a share of the frame height, rotation in degrees, background).
 */
export interface PastedFaceResult {
  direct: number[];
  pipeline: number[] | null;
  /** The pasted square itself cut by the engine's cropper: the cost of resampling alone. */
  pastedSquare: number[];
  pasted: { height: number; degrees: number; background: 'flat' | 'gradient' | 'noise' };
}

/** What `npm run pipeline-accuracy` can vary; each defaults to the engine's own or the usual test. */
export interface PipelineOptions {
  /** The engine's grid of tiles for frames without a face. */
  tileGrid?: number;
  /** The faces are pasted turned by up to this (15 degrees). */
  maxDegrees?: number;
  /** Changes to the engine's crop rule. */
  framing?: Partial<FramingRule>;
  /** The classifier: a folder under /models/ (the shipped 'fer-resnet'). */
  model?: string;
  /**
   * 'edge': the picture's edge pixels carried outward by half its side, so that a crop wider than
   * the picture shows no border between it and the background, as a real face's surround does not.
   */
  surround?: 'background' | 'edge';
}

async function pipeline(
  faces: number[][],
  seed: number,
  { tileGrid, maxDegrees = 15, framing = {}, model = 'fer-resnet', surround = 'background' }: PipelineOptions,
): Promise<PastedFaceResult[]> {
  pipelineParts ??= parts(model);
  const { engine, classifier } = await pipelineParts;
  engine.configure({
    tileGrid: tileGrid ?? DEFAULT_ENGINE.tileGrid,
    framing: { ...CALIBRATED_FRAMING, ...framing },
  });
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const W = 640;
  const H = 480;
  const frame = new OffscreenCanvas(W, H);
  const pad = surround === 'edge' ? 24 : 0;
  const face = new OffscreenCanvas(48 + 2 * pad, 48 + 2 * pad);
  const g = frame.getContext('2d');
  const fg = face.getContext('2d');
  if (!g || !fg) throw new Error('2D canvas unavailable');
  const inputs = faces.map((f) => Uint8Array.from(f));
  const direct = await classifier.classify(inputs);
  const cropper = new FaceCropper();
  const squares: Uint8Array[] = [];
  const out: Omit<PastedFaceResult, 'pastedSquare'>[] = [];
  for (const [i, pixels] of inputs.entries()) {
    // background
    const kind = Math.floor(rand() * 3);
    if (kind === 0) {
      g.fillStyle = `hsl(${rand() * 360} ${rand() * 60}% ${20 + rand() * 60}%)`;
      g.fillRect(0, 0, W, H);
    } else if (kind === 1) {
      const grad = g.createLinearGradient(0, 0, W * rand(), H);
      grad.addColorStop(0, `hsl(${rand() * 360} 50% ${20 + rand() * 60}%)`);
      grad.addColorStop(1, `hsl(${rand() * 360} 50% ${20 + rand() * 60}%)`);
      g.fillStyle = grad;
      g.fillRect(0, 0, W, H);
    } else {
      const img = g.createImageData(W, H);
      const base = 60 + rand() * 120;
      for (let p = 0; p < W * H; p++) {
        const v = base + (rand() - 0.5) * 80;
        img.data.set([v, v * 0.95, v * 0.9, 255], p * 4);
      }
      g.putImageData(img, 0, 0);
    }
    const img = fg.createImageData(face.width, face.height);
    const clamp = (c: number) => Math.min(47, Math.max(0, c - pad));
    for (let y = 0; y < face.height; y++)
      for (let x = 0; x < face.width; x++) {
        const v = pixels[clamp(y) * 48 + clamp(x)] ?? 0;
        img.data.set([v, v, v, 255], (y * face.width + x) * 4);
      }
    fg.putImageData(img, 0, 0);
    const height = 0.15 + rand() * 0.45;
    const side = H * height;
    const degrees = (rand() * 2 - 1) * maxDegrees;
    const angle = (degrees * Math.PI) / 180;
    const cx = side / 2 + rand() * (W - side);
    const cy = side / 2 + rand() * (H - side);
    g.save();
    g.translate(cx, cy);
    g.rotate(angle);
    g.imageSmoothingQuality = 'high';
    const drawn = (side * face.width) / 48;
    g.drawImage(face, -drawn / 2, -drawn / 2, drawn, drawn);
    g.restore();
    const bitmap = await createImageBitmap(frame);
    const r = await engine.process(`p${i}`, 0, bitmap);
    squares.push(cropper.crop(bitmap, { centre: { x: cx, y: cy }, side, angle, shifted: false }));
    bitmap.close();
    engine.forgetSource(`p${i}`);
    const best = [...r.faces].sort((a, b) => b.box.width - a.box.width)[0];
    out.push({
      direct: Array.from(direct[i] ?? new Float32Array(7)),
      pipeline: best ? best.probabilities : null,
      pasted: { height, degrees, background: (['flat', 'gradient', 'noise'] as const)[kind] ?? 'flat' },
    });
  }
  const cut = await classifier.classify(squares);
  return out.map((r, i) => ({ ...r, pastedSquare: Array.from(cut[i] ?? new Float32Array(7)) }));
}

(window as unknown as { calibrate: object }).calibrate = { paste, cropOfPasted, pipeline };
document.body.dataset.ready = 'true';
