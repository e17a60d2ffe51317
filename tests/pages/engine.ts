/**
 * Test page: the whole engine (MediaPipe BlazeFace, FER crop, FER classifier on tfjs wasm,
 * tracking) on real pictures. The browser test calls window.engineTest.analyse(url).
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_ENGINE, Engine } from '../../src/engine/engine';
import { FaceCropper } from '../../src/engine/face-crop';
import { FerClassifier } from '../../src/engine/fer/classifier';
import { createMediaPipeDetector } from '../../src/engine/mediapipe-detector';
import type { FrameResult } from '../../src/engine/types';

let engine: Promise<Engine> | undefined;
let detectorsCreated = 0;

async function build(): Promise<Engine> {
  setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm back end unavailable');
  const manifest: unknown = await (await fetch('/models/fer-resnet/model.json')).json();
  const classifier = await FerClassifier.load({
    manifest,
    readFile: async (name) => (await fetch(`/models/fer-resnet/${name}`)).arrayBuffer(),
  });
  detectorsCreated++;
  const detector = await createMediaPipeDetector({
    wasmBase: '/node_modules/@mediapipe/tasks-vision/wasm',
    modelUrl: '/models/face-detector/face_detection_short_range.tflite',
  });
  return new Engine(detector, classifier, new FaceCropper(), { ...DEFAULT_ENGINE, smoothingHalfLifeMs: 0 });
}

async function run(sourceId: string, bitmap: ImageBitmap): Promise<FrameResult> {
  engine ??= build();
  const e = await engine;
  try {
    return await e.process(sourceId, performance.now(), bitmap);
  } finally {
    bitmap.close();
  }
}

/** A picture served by the test server. */
async function analyse(url: string): Promise<FrameResult> {
  return run(url, await createImageBitmap(await (await fetch(url)).blob()));
}

/** A plain frame of one colour (no face), of the given size. */
async function analyseBlank(width: number, height: number, colour: string): Promise<FrameResult> {
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('2D canvas unavailable');
  g.fillStyle = colour;
  g.fillRect(0, 0, width, height);
  return run(`blank-${colour}`, await createImageBitmap(canvas));
}

/** Runs `frames` frames of one picture through the engine: tensors before and after, detectors made. */
async function stress(
  url: string,
  frames: number,
): Promise<{ before: number; after: number; detectorsCreated: number; faces: number }> {
  engine ??= build();
  const e = await engine;
  const bitmap = await createImageBitmap(await (await fetch(url)).blob());
  await e.process('stress', 0, bitmap); // warm-up
  const before = tf.memory().numTensors;
  let faces = 0;
  for (let i = 1; i <= frames; i++) faces += (await e.process('stress', i * 40, bitmap)).faces.length;
  bitmap.close();
  return { before, after: tf.memory().numTensors, detectorsCreated, faces };
}

(window as unknown as { engineTest: object }).engineTest = { analyse, analyseBlank, stress };
document.body.dataset.ready = 'true';
