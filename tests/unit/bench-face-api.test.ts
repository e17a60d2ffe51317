import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../src/shared/emotions';
import { FACE_API_CLASSES, faceApiExpressionNet, toFerOrder } from '../../scripts/bench/face-api-expression';
import { ferFaces, PUBLIC_TEST_SAMPLE } from '../fixtures/fer-faces';

const MODEL = resolve(import.meta.dirname, '../../node_modules/@vladmandic/face-api/model');
const FACE_API_TO_FER_NAME: Record<(typeof FACE_API_CLASSES)[number], (typeof EMOTIONS)[number]> = {
  neutral: 'neutral',
  happy: 'happy',
  sad: 'sad',
  angry: 'angry',
  fearful: 'fear',
  disgusted: 'disgust',
  surprised: 'surprise',
};

describe("face-api's expression network in the benchmark", () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('maps each face-api class to the FER2013 class of the same name', () => {
    FACE_API_CLASSES.forEach((name, i) => {
      const p = new Array<number>(7).fill(0);
      p[i] = 1;
      expect(EMOTIONS[toFerOrder(p).indexOf(1)]).toBe(FACE_API_TO_FER_NAME[name]);
    });
  });

  it('loads the packaged weights and gives 7 probabilities a face, leaking no tensor', async () => {
    const manifest = JSON.parse(
      readFileSync(resolve(MODEL, 'face_expression_model-weights_manifest.json'), 'utf8'),
    ) as tf.io.WeightsManifestConfig;
    const bin = readFileSync(resolve(MODEL, 'face_expression_model.bin'));
    const net = faceApiExpressionNet(
      manifest,
      bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    );
    try {
      const faces = ferFaces(PUBLIC_TEST_SAMPLE.slice(0, 3));
      const before = tf.memory().numTensors;
      const p = await net.predict(faces);
      expect(tf.memory().numTensors).toBe(before);
      expect(p).toHaveLength(3);
      for (const row of p) {
        expect(row).toHaveLength(7);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
        expect(row.every((x) => Number.isFinite(x) && x >= 0)).toBe(true);
      }
      // not one constant answer: the faces differ, so do the probabilities
      expect(p[0]).not.toEqual(p[1]);
    } finally {
      net.dispose();
    }
  });
});
