/**
 * The analyser's engine page: the same engine as the extension (MediaPipe BlazeFace, FER crop,
 * FER classifier, tracking; tfjs wasm), loaded from the local server. scripts/analyze.ts drives it
 * in headless Chromium: window.analyzer.image(url) and window.analyzer.video(url, fps).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_ENGINE, Engine } from '../engine/engine';
import { FaceCropper } from '../engine/face-crop';
import { FerClassifier } from '../engine/fer/classifier';
import { createMediaPipeDetector } from '../engine/mediapipe-detector';
import type { FrameResult } from '../engine/types';

export interface VideoAnalysis {
  width: number;
  height: number;
  duration: number;
  frames: FrameResult[];
}

let engine: Promise<Engine> | undefined;

async function build(): Promise<Engine> {
  setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm back end did not start');
  const manifest: unknown = await (await fetch('/models/fer-resnet/model.json')).json();
  const classifier = await FerClassifier.load({
    manifest,
    readFile: async (name) => (await fetch(`/models/fer-resnet/${name}`)).arrayBuffer(),
  });
  const detector = await createMediaPipeDetector({
    wasmBase: '/node_modules/@mediapipe/tasks-vision/wasm',
    modelUrl: '/models/face-detector/face_detection_short_range.tflite',
  });
  // raw per-frame output for pictures; smoothing per track for videos (set per call)
  return new Engine(detector, classifier, new FaceCropper(), DEFAULT_ENGINE);
}

function ready(): Promise<Engine> {
  engine ??= build();
  return engine;
}

async function image(url: string): Promise<FrameResult> {
  const e = await ready();
  e.configure({ smoothingHalfLifeMs: 0 });
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot read the file (${res.status})`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(await res.blob());
  } catch {
    throw new Error('the file is not a picture this browser can decode');
  }
  try {
    e.forgetSource(url);
    return await e.process(url, 0, bitmap);
  } finally {
    bitmap.close();
  }
}

function once(target: EventTarget, ok: string, fail = 'error'): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      target.removeEventListener(ok, done);
      target.removeEventListener(fail, bad);
      resolve();
    };
    const bad = () => {
      target.removeEventListener(ok, done);
      target.removeEventListener(fail, bad);
      reject(new Error('the file is not a video this browser can decode'));
    };
    target.addEventListener(ok, done);
    target.addEventListener(fail, bad);
  });
}

async function video(url: string, fps: number, smoothingHalfLifeMs: number): Promise<VideoAnalysis> {
  const e = await ready();
  e.configure({ smoothingHalfLifeMs });
  e.forgetSource(url);
  const v = document.createElement('video');
  v.muted = true;
  v.preload = 'auto';
  v.src = url;
  await once(v, 'loadeddata');
  if (v.duration === Infinity) {
    // recordings (MediaRecorder) often carry no duration until the end has been seen
    v.currentTime = Number.MAX_SAFE_INTEGER;
    await once(v, 'seeked');
  }
  if (!Number.isFinite(v.duration) || v.videoWidth === 0) throw new Error('the video has no readable frames');
  const frames: FrameResult[] = [];
  const step = 1 / fps;
  for (let t = 0; t < v.duration; t += step) {
    v.currentTime = t;
    await once(v, 'seeked');
    const bitmap = await createImageBitmap(v);
    try {
      frames.push(await e.process(url, Math.round(t * 1000), bitmap));
    } finally {
      bitmap.close();
    }
  }
  const result = { width: v.videoWidth, height: v.videoHeight, duration: v.duration, frames };
  v.removeAttribute('src');
  v.load();
  return result;
}

(window as unknown as { analyzer: object }).analyzer = {
  image,
  video,
  ready: () => ready().then(() => true),
};
document.body.dataset.ready = 'true';
