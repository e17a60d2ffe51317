/**
 * The start-up part of `npm run bench` (`--part startup`): how long after switching on the first
 * labelled face comes back, on the demo call. The development build starts analysis by itself on
 * localhost, so "switching on" is opening the demo page; the figure is the time from the page's
 * navigation to the end of its first sampled frame whose reply had a face (the content script's
 * `moodlens:frame` measures). `cold`: a new browser profile (nothing remembered); `warm`: the same
 * profile in a new browser (the engine's remembered choice in storage.local, a fresh engine). With
 * each row, the engine's own account of its start (engine status `startup`: model, detector, back
 * end ms) and the back end it loaded. Same flags as `npm start` (plus `--unsafe-webgpu`: WebGPU on).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { autoStartRegistered } from './auto-start.ts';
import { findChrome, QUIET_CHROMIUM_FLAGS } from './find-chrome.ts';
import { startServer } from './serve.ts';

const EXTENSION = resolve(import.meta.dirname, '../dist/dev/chrome');

export interface StartupRow {
  run: number;
  kind: 'cold' | 'warm';
  /** Navigation to the first labelled face, ms. */
  firstLabelMs: number;
  /** The frame path of that frame (bitmap: the relay frame; jpeg: runtime messages). */
  transport: string;
  backend: string;
  detector: string;
  /** The engine's phases (engine status `startup`), ms. */
  startup: Record<string, number>;
  probes: string;
}

async function engineStatus(context: BrowserContext): Promise<Record<string, unknown>> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${new URL(worker.url()).host}/src/popup/index.html?tabId=-1`);
    const reply = await page.evaluate((): Promise<{ value?: Record<string, unknown> }> =>
      chrome.runtime.sendMessage({ moodlens: 1, type: 'popup>bg:engineStatus', payload: { start: false } }),
    );
    return reply.value ?? {};
  } finally {
    await page.close();
  }
}

async function once(
  profile: string,
  url: string,
  run: number,
  kind: 'cold' | 'warm',
  unsafeWebgpu: boolean,
): Promise<StartupRow> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROME_PATH ?? findChrome(),
    headless: true,
    args: [
      `--disable-extensions-except=${EXTENSION}`,
      `--load-extension=${EXTENSION}`,
      ...QUIET_CHROMIUM_FLAGS,
      ...(unsafeWebgpu ? ['--enable-unsafe-webgpu'] : []),
    ],
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: { width: 1280, height: 900 },
  });
  try {
    await autoStartRegistered(context);
    const page = await context.newPage();
    await page.goto(url);
    const handle = await page.waitForFunction(
      () => {
        const e = performance
          .getEntriesByName('moodlens:frame')
          .find((m) => ((m as PerformanceMeasure).detail as { faces: number }).faces > 0);
        return e
          ? {
              at: e.startTime + e.duration,
              transport: ((e as PerformanceMeasure).detail as { transport: string }).transport,
            }
          : undefined;
      },
      undefined,
      { timeout: 120_000, polling: 100 },
    );
    const first = (await handle.jsonValue()) as { at: number; transport: string };
    const status = await engineStatus(context);
    const probes =
      (status.probes as { name: string; ok: boolean; ms?: number; error?: string }[] | undefined) ?? [];
    return {
      run,
      kind,
      firstLabelMs: first.at,
      transport: first.transport,
      backend: typeof status.backend === 'string' ? status.backend : String(status.state),
      detector: typeof status.detector === 'string' ? status.detector : '',
      startup: (status.startup as Record<string, number> | undefined) ?? {},
      probes: probes.map((p) => `${p.name}: ${p.ok ? probeTime(p.ms) : (p.error ?? 'failed')}`).join('; '),
    };
  } finally {
    await context.close();
  }
}

/** A working back end's probe time; one remembered from the last start is loaded without one. */
const probeTime = (ms: number | undefined) =>
  ms === undefined ? 'remembered, not timed' : `${ms.toFixed(1)} ms`;

export async function runStartupBench(options: {
  runs: number;
  tiles: number;
  unsafeWebgpu: boolean;
}): Promise<StartupRow[]> {
  const server = await startServer(0);
  const rows: StartupRow[] = [];
  try {
    for (let run = 1; run <= options.runs; run++) {
      const profile = mkdtempSync(join(tmpdir(), 'moodlens-startup-'));
      try {
        const url = `${server.url}?tiles=${String(options.tiles)}`;
        for (const kind of ['cold', 'warm'] as const) {
          rows.push(await once(profile, url, run, kind, options.unsafeWebgpu));
          process.stderr.write(`startup bench: run ${String(run)} ${kind} done\n`);
        }
      } finally {
        rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      }
    }
  } finally {
    await server.close();
  }
  return rows;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? ((s[(s.length - 1) >> 1] as number) + (s[s.length >> 1] as number)) / 2 : NaN;
};

export function startupTable(rows: StartupRow[]): string {
  const f = (x: number | undefined) => (x === undefined ? '–' : (x / 1000).toFixed(2));
  const lines = [
    '| run | start | first label s | frame path | engine: model s | detector s | back end s | total s | back end | detector | probes |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${String(r.run)} | ${r.kind} | ${f(r.firstLabelMs)} | ${r.transport} | ${f(r.startup.modelMs)} | ${f(r.startup.detectorMs)} | ${f(r.startup.backendMs)} | ${f(r.startup.totalMs)} | ${r.backend} | ${r.detector} | ${r.probes} |`,
    ),
  ];
  for (const kind of ['cold', 'warm'] as const) {
    const xs = rows.filter((r) => r.kind === kind).map((r) => r.firstLabelMs);
    if (xs.length)
      lines.push(`\nmedian first label, ${kind}: ${f(median(xs))} s (${String(xs.length)} runs)`);
  }
  return lines.join('\n');
}
