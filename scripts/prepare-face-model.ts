/**
 * `npm run prepare-face-model`: writes the packaged face detector,
 * models/face-detector/face_detection_short_range.tflite, from the npm package
 * @mediapipe/face_detection (Apache 2.0), adding the TFLite metadata the Tasks API requires.
 * The output is committed; a unit test checks that this script reproduces it byte for byte.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { prepareFaceModel, summarise } from './tflite-metadata.ts';

export const FACE_MODEL_SOURCE = createRequire(import.meta.url).resolve(
  '@mediapipe/face_detection/face_detection_short_range.tflite',
);
export const FACE_MODEL_OUT = resolve(
  import.meta.dirname,
  '../models/face-detector/face_detection_short_range.tflite',
);

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const out = prepareFaceModel(new Uint8Array(readFileSync(FACE_MODEL_SOURCE)));
  mkdirSync(dirname(FACE_MODEL_OUT), { recursive: true });
  writeFileSync(FACE_MODEL_OUT, out);
  console.log(
    JSON.stringify(
      { from: FACE_MODEL_SOURCE, to: FACE_MODEL_OUT, bytes: out.length, ...summarise(out) },
      null,
      1,
    ),
  );
}
