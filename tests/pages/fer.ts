/**
 * Test page: the FER classifier in a real browser on a chosen tfjs back end. The browser test
 * calls window.ferTest.run(backend, faces) and compares the logits with PyTorch's.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { FerClassifier } from '../../src/engine/fer/classifier';

async function run(
  backend: string,
  faces: number[][],
): Promise<{ backend: string; logits: number[][]; flipped: number[][]; leaked: number }> {
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs back end ${backend} is not available here`);
  await tf.ready();
  const manifest: unknown = await (await fetch('/models/fer-resnet/model.json')).json();
  const classifier = await FerClassifier.load({
    manifest,
    readFile: async (name) => (await fetch(`/models/fer-resnet/${name}`)).arrayBuffer(),
  });
  const input = faces.map((f) => Uint8Array.from(f));
  await classifier.logits(input.slice(0, 1)); // warm-up: shader compilation
  const before = tf.memory().numTensors;
  const logits = await classifier.logits(input, { flip: false });
  const flipped = await classifier.logits(input);
  const leaked = tf.memory().numTensors - before;
  classifier.dispose();
  return {
    backend: tf.getBackend(),
    logits: logits.map((r) => Array.from(r)),
    flipped: flipped.map((r) => Array.from(r)),
    leaked,
  };
}

(window as unknown as { ferTest: { run: typeof run } }).ferTest = { run };
document.body.dataset.ready = 'true';
