/**
 * `npm run pipeline-accuracy -- [--count N] [--tile-grid N] [--usage PublicTest|Training]`: does
 * the engine's crop match FER framing? PublicTest faces (or `--usage Training`) are classified
 * directly (48x48, as `npm run evaluate`) and through the whole pipeline after being pasted into
 * 640x480 frames at random scale (15-60 % of the frame height), position and rotation (up to 15
 * degrees) on varied backgrounds (tests/pages/calibrate.ts); `--tile-grid` sets the engine's grid of
 * tiles for frames without a face (default: the engine's). Prints both
 * accuracies (a face the detector misses counts as wrong), both calibration errors (the pipeline's
 * on the faces it found) and, last, one JSON line.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { readFaceSet } from '../src/engine/fer/dataset.ts';
import { expectedCalibrationError } from '../src/engine/fer/metrics.ts';
import { findChrome } from './find-chrome.ts';
import { startServer } from './serve.ts';
import type { PastedFaceResult } from '../tests/pages/calibrate.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '3589' },
    'tile-grid': { type: 'string' },
    usage: { type: 'string', default: 'PublicTest' },
  },
});
// Training faces are for choices about the detector and the crop (the faces found do not depend on
// the classifier, which has seen most of them: its accuracy there is not a figure to report)
if (!['PublicTest', 'Training'].includes(values.usage))
  throw new Error(`--usage ${values.usage}: give PublicTest or Training`);
const tileGrid = values['tile-grid'] === undefined ? undefined : Number(values['tile-grid']);
if (tileGrid !== undefined && !(Number.isInteger(tileGrid) && tileGrid >= 1 && tileGrid <= 6))
  throw new Error(`--tile-grid ${values['tile-grid']}: give a whole number from 1 to 6`);
const DATA = resolve(import.meta.dirname, '../../shared/datasets/fer2013');
const faceSet = readFaceSet(
  new Uint8Array(readFileSync(resolve(DATA, 'images.u8'))),
  readFileSync(resolve(DATA, 'meta.csv'), 'utf8'),
  values.usage,
);
const step = Math.max(1, faceSet.faces.length / Number(values.count));
const picks = Array.from({ length: Math.min(faceSet.faces.length, Number(values.count)) }, (_, i) =>
  Math.floor(i * step),
);
const labels = picks.map((i) => faceSet.labels[i] ?? -1);
const faces = picks.map((i) => Array.from(faceSet.faces[i] ?? []));

/** "15-26 % of the frame height 140/150, …": the share found per size, rotation and background. */
function foundBreakdown(results: readonly PastedFaceResult[]): string {
  const groups: [string, (r: PastedFaceResult) => boolean][] = [
    ...[0.15, 0.26, 0.37, 0.48].map((lo, i, all): [string, (r: PastedFaceResult) => boolean] => {
      const hi = all[i + 1] ?? 0.6;
      return [
        `${Math.round(lo * 100)}-${Math.round(hi * 100)} % high`,
        (r) => r.pasted.height >= lo && r.pasted.height < hi,
      ];
    }),
    ...[0, 5, 10].map((lo): [string, (r: PastedFaceResult) => boolean] => [
      `turned ${lo}-${lo + 5}°`,
      (r) => Math.abs(r.pasted.degrees) >= lo && Math.abs(r.pasted.degrees) < lo + 5,
    ]),
    ...(['flat', 'gradient', 'noise'] as const).map((b): [string, (r: PastedFaceResult) => boolean] => [
      `${b} background`,
      (r) => r.pasted.background === b,
    ]),
  ];
  return groups
    .map(([name, has]) => {
      const group = results.filter(has);
      return `${name} ${group.filter((r) => r.pipeline !== null).length}/${group.length}`;
    })
    .join(', ');
}

const server = await startServer(0);
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? findChrome(),
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}pages/tests/pages/calibrate.html`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  const results: PastedFaceResult[] = [];
  for (let i = 0; i < faces.length; i += 100) {
    results.push(
      ...(await page.evaluate(
        ([f, seed, grid]) =>
          (
            window as unknown as {
              calibrate: {
                pipeline: (f: number[][], s: number, grid?: number) => Promise<PastedFaceResult[]>;
              };
            }
          ).calibrate.pipeline(f, seed, grid),
        [faces.slice(i, i + 100), 7 + i, tileGrid] as const,
      )),
    );
    process.stderr.write(`\r${results.length}/${faces.length}`);
  }
  process.stderr.write('\n');
  const n = results.length;
  const argmax = (p: readonly number[]) => p.indexOf(Math.max(...p));
  const predicted = results.map((r) => ({
    direct: argmax(r.direct),
    pipeline: r.pipeline ? argmax(r.pipeline) : -1,
  }));
  const direct = predicted.filter((r, i) => r.direct === labels[i]).length / n;
  const pipeline = predicted.filter((r, i) => r.pipeline === labels[i]).length / n;
  const found = results.filter((r) => r.pipeline !== null).length / n;
  const agree = predicted.filter((r) => r.pipeline === r.direct).length / n;
  // on the faces the detector found: the crop's own cost, apart from the faces it missed
  const foundIdx = predicted.flatMap((r, i) => (r.pipeline >= 0 ? [i] : []));
  const onFound = (key: 'direct' | 'pipeline') =>
    foundIdx.filter((i) => predicted[i]?.[key] === labels[i]).length / Math.max(1, foundIdx.length);
  const directEce = expectedCalibrationError(
    results.map((r) => Float32Array.from(r.direct)),
    labels,
  );
  const seen = results.flatMap((r, i) =>
    r.pipeline ? [{ p: Float32Array.from(r.pipeline), label: labels[i] ?? -1 }] : [],
  );
  const pipelineEce = expectedCalibrationError(
    seen.map((x) => x.p),
    seen.map((x) => x.label),
  );
  console.log(`${values.usage} faces: ${n}`);
  console.log(
    `direct classifier accuracy (48x48):      ${(direct * 100).toFixed(1)} %  (calibration error ${directEce.toFixed(3)})`,
  );
  console.log(
    `pipeline accuracy (pasted, detect, crop): ${(pipeline * 100).toFixed(1)} %  (faces found: ${(found * 100).toFixed(1)} %; calibration error on them ${pipelineEce.toFixed(3)})`,
  );
  console.log(
    `difference: ${((direct - pipeline) * 100).toFixed(1)} points; same prediction on ${(agree * 100).toFixed(1)} %`,
  );
  console.log(
    `on the ${foundIdx.length} faces found: direct ${(onFound('direct') * 100).toFixed(1)} %, pipeline ${(onFound('pipeline') * 100).toFixed(1)} %`,
  );
  console.log(`faces found, by how they were pasted: ${foundBreakdown(results)}`);
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  console.log(
    JSON.stringify({
      n,
      direct: r4(direct),
      pipeline: r4(pipeline),
      found: r4(found),
      agreement: r4(agree),
      directOnFound: r4(onFound('direct')),
      pipelineOnFound: r4(onFound('pipeline')),
      directEce: r4(directEce),
      pipelineEce: r4(pipelineEce),
    }),
  );
  // issue 16's bar: the pipeline within 2 points of the direct classifier (a missed face counts as wrong)
  if (direct - pipeline > 0.02) {
    const crop = onFound('direct') - onFound('pipeline');
    console.error(
      `the pipeline is ${((direct - pipeline) * 100).toFixed(1)} points below the direct classifier (issue 16 asks for 2 at most): ` +
        `${(crop * 100).toFixed(1)} of them on the faces found (the crop), the rest from the ${n - foundIdx.length} faces the detector missed`,
    );
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  await server.close();
}
