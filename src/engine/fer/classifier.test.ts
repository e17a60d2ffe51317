import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FerClassifier } from './classifier';
import { useNodeBackend } from './node-backends';
import { nodeModelSource } from './node-source';
import { ferFaces } from '../../../tests/fixtures/fer-faces.ts';

/**
 * Parity with PyTorch: training/export.py wrote the logits of the folded network (at the shipped
 * float16 precision) for some validation pictures; the TypeScript model must reproduce them.
 */
interface Parity {
  indices: number[];
  logits: number[][];
  logits_flip_averaged: number[][];
}
const parity = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../../tests/fixtures/fer-parity.json'), 'utf8'),
) as Parity;

function maxAbsDiff(a: Float32Array[], b: number[][]): number {
  let worst = 0;
  a.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (b[i]?.[j] ?? NaN))))));
  return Number.isNaN(worst) ? Infinity : worst;
}

// The pure-JS cpu back end is slow (about a second a face here): it checks a few faces.
const CASES = [
  { backend: 'cpu', count: 3, timeout: 120_000 },
  { backend: 'wasm', count: parity.indices.length, timeout: 60_000 },
] as const;

for (const { backend, count, timeout } of CASES) {
  describe(`FER classifier on the tfjs ${backend} back end`, { timeout }, () => {
    let classifier: FerClassifier;
    const batch = ferFaces(parity.indices.slice(0, count));
    const expected = {
      logits: parity.logits.slice(0, count),
      flipped: parity.logits_flip_averaged.slice(0, count),
    };

    beforeAll(async () => {
      await useNodeBackend(backend);
      classifier = await FerClassifier.load(await nodeModelSource());
    });
    afterAll(() => classifier.dispose());

    it('matches the PyTorch logits within 1e-3', async () => {
      expect(maxAbsDiff(await classifier.logits(batch, { flip: false }), expected.logits)).toBeLessThan(1e-3);
    });

    it('matches the PyTorch mirror-averaged logits within 1e-3', async () => {
      expect(maxAbsDiff(await classifier.logits(batch), expected.flipped)).toBeLessThan(1e-3);
    });

    it('gives 7 probabilities per face that sum to 1, sharpened or softened by the temperature', async () => {
      const probs = await classifier.classify(batch);
      expect(probs).toHaveLength(batch.length);
      for (const p of probs) {
        expect(p).toHaveLength(7);
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
      const [first] = await classifier.logits(batch.slice(0, 1));
      const z = Array.from(first ?? []);
      const plain = Math.exp(Math.max(...z)) / z.reduce((a, v) => a + Math.exp(v), 0);
      const calibrated = Math.max(...(probs[0] ?? []));
      expect(Math.sign(calibrated - plain)).toBe(Math.sign(1 - classifier.spec.temperature));
    });

    it('leaks no tensors', async () => {
      const before = tf.memory().numTensors;
      await classifier.classify(batch);
      await classifier.logits(batch, { flip: false });
      expect(tf.memory().numTensors).toBe(before);
    });

    it('answers an empty batch with nothing, and refuses a face of the wrong size', async () => {
      expect(await classifier.classify([])).toEqual([]);
      await expect(classifier.classify([new Uint8Array(100)])).rejects.toThrow(/2304 bytes/);
    });
  });
}
