/**
 * `npm run evaluate -- --images FILE.u8 --meta FILE.csv [--usage NAME] [--backend wasm|cpu]`
 *
 * Evaluates the shipped model (models/fer-resnet) through the TypeScript classifier, as the
 * extension runs it (mirror averaging, temperature), on a face set in the shared dataset's format.
 * Prints the classification report and confusion matrix, calibration, FER+ majority accuracy where
 * the votes are present, and as its last line one JSON object. --predictions FILE also writes one CSV
 * row per picture (position in the set, true label, predicted label, the 7 probabilities).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FerClassifier } from '../src/engine/fer/classifier.ts';
import { readFaceSet } from '../src/engine/fer/dataset.ts';
import { classificationReport, expectedCalibrationError, formatReport } from '../src/engine/fer/metrics.ts';
import { useNodeBackend } from '../src/engine/fer/node-backends.ts';
import { nodeModelSource } from '../src/engine/fer/node-source.ts';
import { FER_CLASSES } from '../src/engine/fer/spec.ts';

function fail(message: string): never {
  console.error(`evaluate: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: {
    images?: string;
    meta?: string;
    usage?: string;
    backend?: string;
    batch?: string;
    predictions?: string;
  };
  try {
    ({ values } = parseArgs({
      options: {
        images: { type: 'string' },
        meta: { type: 'string' },
        usage: { type: 'string' },
        backend: { type: 'string', default: 'wasm' },
        batch: { type: 'string', default: '64' },
        predictions: { type: 'string' },
      },
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (!values.images || !values.meta)
    fail('usage: npm run evaluate -- --images FILE.u8 --meta FILE.csv [--usage NAME]');
  if (values.backend !== 'wasm' && values.backend !== 'cpu') fail('--backend must be wasm or cpu');
  const read = async (path: string) => {
    try {
      return await readFile(path);
    } catch (error) {
      return fail(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  };
  const images = await read(values.images);
  const metaText = (await read(values.meta)).toString('utf8');
  let set;
  try {
    set = readFaceSet(
      new Uint8Array(images.buffer, images.byteOffset, images.byteLength),
      metaText,
      values.usage,
    );
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }

  await useNodeBackend(values.backend);
  const classifier = await FerClassifier.load(await nodeModelSource());
  const batch = Math.max(1, Number(values.batch) || 64);
  const probs: Float32Array[] = [];
  const started = Date.now();
  for (let i = 0; i < set.faces.length; i += batch) {
    probs.push(...(await classifier.classify(set.faces.slice(i, i + batch))));
    if (process.stderr.isTTY) process.stderr.write(`\r${probs.length}/${set.faces.length}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  classifier.dispose();
  const predicted = probs.map((p) => p.indexOf(Math.max(...p)));
  const report = classificationReport(set.labels, predicted, FER_CLASSES);
  const ece = expectedCalibrationError(probs, set.labels);
  const withVotes = set.ferplusMajority
    .map((m, i) => [m, predicted[i] as number] as const)
    .filter(([m]) => m >= 0);
  const ferplus = withVotes.length ? withVotes.filter(([m, p]) => m === p).length / withVotes.length : null;

  console.log(
    `MoodLens FER ResNet on ${values.images}${values.usage ? ` (usage ${values.usage})` : ''}: ${report.n} pictures, tfjs ${values.backend}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(formatReport(report, FER_CLASSES));
  console.log(`\nexpected calibration error (15 bins): ${ece.toFixed(4)}`);
  if (ferplus !== null)
    console.log(
      `FER+ majority-vote accuracy: ${ferplus.toFixed(4)} on ${withVotes.length} pictures with a majority`,
    );
  if (values.predictions) {
    const header = `position,label,predicted,${FER_CLASSES.join(',')}`;
    const lines = probs.map(
      (p, i) =>
        `${i},${set.labels[i] ?? ''},${predicted[i] ?? ''},${Array.from(p, (v) => v.toFixed(5)).join(',')}`,
    );
    await writeFile(values.predictions, `${[header, ...lines].join('\n')}\n`);
    console.log(`predictions written to ${values.predictions}`);
  }
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  console.log(
    JSON.stringify({
      n: report.n,
      accuracy: round(report.accuracy),
      macro_f1: round(report.macro_f1),
      per_class: Object.fromEntries(
        Object.entries(report.per_class).map(([k, s]) => [
          k,
          { precision: round(s.precision), recall: round(s.recall), f1: round(s.f1), support: s.support },
        ]),
      ),
      confusion: report.confusion,
      ece: round(ece),
      ferplus_majority_accuracy: ferplus === null ? null : round(ferplus),
      ferplus_n: withVotes.length,
    }),
  );
}

await main();
