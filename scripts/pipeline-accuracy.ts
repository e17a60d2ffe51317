/**
 * `npm run pipeline-accuracy -- [--count N] [--usage PublicTest|Validation|Training] [options]`:
 * does the engine's crop match FER framing? PublicTest faces (or the training's validation split,
 * or Training) are classified directly (48x48, as `npm run evaluate`) and through the whole pipeline
 * after being pasted into 640x480 frames at random scale (15-60 % of the frame height), position and
 * rotation on varied backgrounds (tests/pages/calibrate.ts). Prints both accuracies (a face the
 * detector misses counts as wrong), both calibration errors (the pipeline's on the faces it found),
 * the accuracy of the pasted square itself cut out (what resampling alone costs, apart from the
 * detector's framing), a breakdown by how the faces were pasted and, last, one JSON line.
 *
 * Options, for choices made on Validation: `--tile-grid N` (the engine's grid of tiles for frames
 * without a face), `--framing-scale S` and `--free-tilt DEGREES` (the crop rule), `--max-degrees D`
 * (the pasted faces turned by up to D, 15 by default), `--model DIR` (a classifier folder under
 * models/, as `training/export.py --out models/candidates/NAME` writes one), `--surround edge` (the
 * picture's edge pixels carried outward around it, so that a crop wider than the picture shows no
 * border: what the detector's framing costs apart from that border, which a call does not have).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { readFaceSet } from '../src/engine/fer/dataset.ts';
import { expectedCalibrationError } from '../src/engine/fer/metrics.ts';
import { findChrome } from './find-chrome.ts';
import { startServer } from './serve.ts';
import type { PastedFaceResult, PipelineOptions } from '../tests/pages/calibrate.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '3589' },
    'tile-grid': { type: 'string' },
    usage: { type: 'string', default: 'PublicTest' },
    'max-degrees': { type: 'string', default: '15' },
    'framing-scale': { type: 'string' },
    'free-tilt': { type: 'string' },
    model: { type: 'string', default: 'models/fer-resnet' },
    surround: { type: 'string', default: 'background' },
  },
});
// Choices about the detector and the crop are made on Validation: the training's validation split
// (training/fer_data.py, the one definition of it), faces the classifier has never trained on.
// Training faces do for what the detector finds (the classifier has seen them: its accuracy there is
// not a figure to report). PublicTest is for reporting.
if (!['PublicTest', 'Validation', 'Training'].includes(values.usage))
  throw new Error(`--usage ${values.usage}: give PublicTest, Validation or Training`);
const tileGrid = values['tile-grid'] === undefined ? undefined : Number(values['tile-grid']);
if (tileGrid !== undefined && !(Number.isInteger(tileGrid) && tileGrid >= 1 && tileGrid <= 6))
  throw new Error(`--tile-grid ${values['tile-grid']}: give a whole number from 1 to 6`);
const maxDegrees = Number(values['max-degrees']);
if (!(maxDegrees >= 0 && maxDegrees <= 90))
  throw new Error(`--max-degrees ${values['max-degrees']}: give 0 to 90`);
// the crop rule's scale and free tilt, for calibrating them on Validation (default: the engine's)
const framing: PipelineOptions['framing'] = {};
if (values['framing-scale'] !== undefined) {
  framing.scale = Number(values['framing-scale']);
  if (!(framing.scale >= 0.5 && framing.scale <= 2))
    throw new Error(`--framing-scale ${values['framing-scale']}: give 0.5 to 2`);
}
if (values['free-tilt'] !== undefined) {
  framing.freeTiltDegrees = Number(values['free-tilt']);
  if (!(framing.freeTiltDegrees >= 0 && framing.freeTiltDegrees <= 90))
    throw new Error(`--free-tilt ${values['free-tilt']}: give 0 to 90 degrees`);
}
// a candidate classifier exported beside the shipped one (training/export.py --out models/candidates/NAME)
const modelDir = relative(resolve(import.meta.dirname, '../models'), resolve(values.model));
if (modelDir.startsWith('..') || !existsSync(resolve(values.model, 'model.json')))
  throw new Error(`--model ${values.model}: give a folder under models/ with a model.json`);
if (values.surround !== 'background' && values.surround !== 'edge')
  throw new Error(`--surround ${values.surround}: give background or edge`);
const options: PipelineOptions = {
  tileGrid,
  maxDegrees,
  framing,
  model: modelDir,
  surround: values.surround,
};
const DATA = resolve(import.meta.dirname, '../../shared/datasets/fer2013');
const allOfUsage = readFaceSet(
  new Uint8Array(readFileSync(resolve(DATA, 'images.u8'))),
  readFileSync(resolve(DATA, 'meta.csv'), 'utf8'),
  values.usage === 'Validation' ? 'Training' : values.usage,
);
const faceSet = values.usage === 'Validation' ? validationSplit(allOfUsage) : allOfUsage;

/** The validation split's faces among the labelled Training faces, as training/fer_data.py draws it. */
function validationSplit(training: typeof allOfUsage): typeof allOfUsage {
  let positions: unknown;
  try {
    positions = JSON.parse(
      execFileSync(
        'python3',
        [resolve(import.meta.dirname, '../training/fer_data.py'), 'validation-positions'],
        {
          encoding: 'utf8',
        },
      ),
    );
  } catch (e) {
    throw new Error(`--usage Validation needs python3 with numpy (training/fer_data.py): ${String(e)}`);
  }
  if (
    !Array.isArray(positions) ||
    !positions.every((p) => Number.isInteger(p) && p >= 0 && p < training.faces.length)
  )
    throw new Error(
      'training/fer_data.py validation-positions did not list positions among the Training faces',
    );
  const at = positions as number[];
  return {
    faces: at.map((p) => training.faces[p] as Uint8Array),
    labels: at.map((p) => training.labels[p] as number),
    ferplusMajority: at.map((p) => training.ferplusMajority[p] as number),
  };
}
const step = Math.max(1, faceSet.faces.length / Number(values.count));
const picks = Array.from({ length: Math.min(faceSet.faces.length, Number(values.count)) }, (_, i) =>
  Math.floor(i * step),
);
const labels = picks.map((i) => faceSet.labels[i] ?? -1);
const faces = picks.map((i) => Array.from(faceSet.faces[i] ?? []));

const argmax = (p: readonly number[]) => p.indexOf(Math.max(...p));

/**
 * "15-26 % high: found 140/150, right 101 (direct 104); …": per size, rotation and background, the
 * faces found and how many the pipeline and the direct classifier got right.
 */
function breakdown(results: readonly PastedFaceResult[]): string {
  const groups: [string, (r: PastedFaceResult) => boolean][] = [
    ...[0.15, 0.26, 0.37, 0.48].map((lo, i, all): [string, (r: PastedFaceResult) => boolean] => {
      const hi = all[i + 1] ?? 0.6;
      return [
        `${Math.round(lo * 100)}-${Math.round(hi * 100)} % high`,
        (r) => r.pasted.height >= lo && r.pasted.height < hi,
      ];
    }),
    ...Array.from(
      { length: Math.ceil(maxDegrees / 5) },
      (_, k): [string, (r: PastedFaceResult) => boolean] => [
        `turned ${5 * k}-${5 * k + 5}°`,
        (r) => Math.abs(r.pasted.degrees) >= 5 * k && Math.abs(r.pasted.degrees) < 5 * k + 5,
      ],
    ),
    ...(['flat', 'gradient', 'noise'] as const).map((b): [string, (r: PastedFaceResult) => boolean] => [
      `${b} background`,
      (r) => r.pasted.background === b,
    ]),
  ];
  return groups
    .map(([name, has]) => {
      const group = results.flatMap((r, i) => (has(r) ? [{ r, label: labels[i] }] : []));
      const found = group.filter(({ r }) => r.pipeline !== null).length;
      const right = group.filter(({ r, label }) => r.pipeline && argmax(r.pipeline) === label).length;
      const direct = group.filter(({ r, label }) => argmax(r.direct) === label).length;
      return `${name}: found ${found}/${group.length}, right ${right} (direct ${direct})`;
    })
    .join('; ');
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
        ([f, seed, opts]) =>
          (
            window as unknown as {
              calibrate: {
                pipeline: (f: number[][], s: number, o: PipelineOptions) => Promise<PastedFaceResult[]>;
              };
            }
          ).calibrate.pipeline(f, seed, opts),
        [faces.slice(i, i + 100), 7 + i, options] as const,
      )),
    );
    process.stderr.write(`\r${results.length}/${faces.length}`);
  }
  process.stderr.write('\n');
  const n = results.length;
  const predicted = results.map((r) => ({
    direct: argmax(r.direct),
    pipeline: r.pipeline ? argmax(r.pipeline) : -1,
    pastedSquare: argmax(r.pastedSquare),
  }));
  const direct = predicted.filter((r, i) => r.direct === labels[i]).length / n;
  const pipeline = predicted.filter((r, i) => r.pipeline === labels[i]).length / n;
  const found = results.filter((r) => r.pipeline !== null).length / n;
  const agree = predicted.filter((r) => r.pipeline === r.direct).length / n;
  // on the faces the detector found: the crop's own cost, apart from the faces it missed
  const foundIdx = predicted.flatMap((r, i) => (r.pipeline >= 0 ? [i] : []));
  const onFound = (key: 'direct' | 'pipeline' | 'pastedSquare') =>
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
  console.log(`${values.usage} faces: ${n}; classifier: models/${modelDir}`);
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
    `on the ${foundIdx.length} faces found: direct ${(onFound('direct') * 100).toFixed(1)} %, ` +
      `the pasted square cut out ${(onFound('pastedSquare') * 100).toFixed(1)} % (resampling alone), ` +
      `pipeline ${(onFound('pipeline') * 100).toFixed(1)} % (resampling and the detector's framing)`,
  );
  console.log(`by how they were pasted: ${breakdown(results)}`);
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
      pastedSquareOnFound: r4(onFound('pastedSquare')),
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
