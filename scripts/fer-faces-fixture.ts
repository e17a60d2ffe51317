/**
 * `npx tsx scripts/fer-faces-fixture.ts`: copies the FER2013 faces the tests use (the parity faces
 * of tests/fixtures/fer-parity.json and the PublicTest sample of the framing test) out of
 * ../shared/datasets/fer2013/images.u8 into tests/fixtures/fer2013-faces.u8 (+ .json, their
 * indices), so that the tests need no shared dataset. Run it after training/export.py.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { PARITY_INDICES, PUBLIC_TEST_SAMPLE } from '../tests/fixtures/fer-faces.ts';

const FACE_BYTES = 48 * 48;
const DATASET = resolve(import.meta.dirname, '../../shared/datasets/fer2013/images.u8');
const OUT = resolve(import.meta.dirname, '../tests/fixtures');

const images = readFileSync(DATASET);
const indices = [...new Set([...PARITY_INDICES, ...PUBLIC_TEST_SAMPLE])];
writeFileSync(
  resolve(OUT, 'fer2013-faces.u8'),
  Buffer.concat(indices.map((i) => images.subarray(i * FACE_BYTES, (i + 1) * FACE_BYTES))),
);
const list = resolve(OUT, 'fer2013-faces.json');
writeFileSync(
  list,
  await format(
    JSON.stringify({
      note: 'dataset indices (into ../shared/datasets/fer2013/images.u8) of the faces in fer2013-faces.u8, in order; FER2013 was released for research (Kaggle): test fixtures only, never packaged',
      indices,
    }),
    { ...(await resolveConfig(list)), filepath: list },
  ),
);
console.log(`wrote ${indices.length} faces to ${OUT}/fer2013-faces.u8`);
