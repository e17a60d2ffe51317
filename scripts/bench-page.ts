/**
 * The page part of `npm run bench` (`--part page`): what MoodLens costs the meeting page. The
 * development build of the extension runs in headless Chromium on the demo meeting with 1, 4 and
 * 9 tiles, once per frame path (bitmap through the relay frame, JPEG messages), and the same page
 * runs without the extension as the peer. From the page's own performance timeline:
 *
 * - main-thread ms per sampled frame (the `moodlens:frame` measures the content script adds in
 *   development builds: the sum of its synchronous slices for that frame), median and p95;
 * - overlay upkeep, ms of main thread per second (`moodlens:overlay`: following the videos on every
 *   animation frame);
 * - end-to-end latency, from taking the frame to the overlay showing its labels, median and p95;
 * - long tasks (> 50 ms, PerformanceObserver 'longtask') per minute with MoodLens and without it.
 *
 * Absolute times depend on the machine and what else runs on it: compare the rows of one run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { findChrome, QUIET_CHROMIUM_FLAGS } from './find-chrome.ts';
import { startServer } from './serve.ts';

const EXTENSION = resolve(import.meta.dirname, '../dist/dev/chrome');
const FLAGS = QUIET_CHROMIUM_FLAGS;

export interface PageRow {
  path: 'bitmap' | 'jpeg' | 'none';
  tiles: number;
  frames: number;
  busyMedianMs: number;
  busyP95Ms: number;
  overlayMsPerSecond: number;
  latencyMedianMs: number;
  latencyP95Ms: number;
  longTasksPerMinute: number;
  longestTaskMs: number;
}

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Installed before the page's scripts: collects long tasks for the whole visit. */
const LONG_TASKS = `
  globalThis.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) globalThis.__longTasks.push({ start: e.startTime, duration: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
`;

async function measure(page: Page, url: string, seconds: number, warm: (p: Page) => Promise<void>) {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  await warm(page);
  const from = await page.evaluate(() => performance.now());
  await page.waitForTimeout(seconds * 1000);
  return page.evaluate((since) => {
    const frames = performance
      .getEntriesByName('moodlens:frame')
      .filter((e) => e.startTime >= since)
      .map((e) => ({
        duration: e.duration,
        ...((e as PerformanceMeasure).detail as { busyMs: number; transport: string; faces: number }),
      }));
    const overlay = performance
      .getEntriesByName('moodlens:overlay')
      .filter((e) => e.startTime >= since)
      .map((e) => ({
        duration: e.duration,
        busyMs: ((e as PerformanceMeasure).detail as { busyMs: number }).busyMs,
      }));
    const longTasks = (
      globalThis as unknown as { __longTasks: { start: number; duration: number }[] }
    ).__longTasks.filter((t) => t.start >= since);
    return { frames, overlay, longTasks, elapsed: performance.now() - since };
  }, from);
}

export async function runPageBench(options: { tiles: number[]; seconds: number }): Promise<PageRow[]> {
  const server = await startServer(0);
  const profile = mkdtempSync(join(tmpdir(), 'moodlens-bench-'));
  const rows: PageRow[] = [];
  let context: BrowserContext | undefined;
  const plain = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? findChrome(),
    headless: true,
    args: FLAGS,
  });
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROME_PATH ?? findChrome(),
      headless: true,
      args: [`--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`, ...FLAGS],
      ignoreDefaultArgs: ['--disable-extensions'],
      viewport: { width: 1280, height: 900 },
    });
    await context.addInitScript(LONG_TASKS);
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const peerContext = await plain.newContext({ viewport: { width: 1280, height: 900 } });
    await peerContext.addInitScript(LONG_TASKS);
    for (const tiles of options.tiles) {
      const url = `${server.url}?tiles=${String(tiles)}`;
      // the peer: the same page, no extension
      const peer = await peerContext.newPage();
      const alone = await measure(peer, url, options.seconds, () => Promise.resolve());
      await peer.close();
      rows.push({
        path: 'none',
        tiles,
        frames: 0,
        busyMedianMs: NaN,
        busyP95Ms: NaN,
        overlayMsPerSecond: NaN,
        latencyMedianMs: NaN,
        latencyP95Ms: NaN,
        longTasksPerMinute: round((alone.longTasks.length * 60_000) / alone.elapsed),
        longestTaskMs: round(Math.max(0, ...alone.longTasks.map((t) => t.duration))),
      });
      for (const path of ['bitmap', 'jpeg'] as const) {
        await worker.evaluate(
          (p) => chrome.storage.local.set({ framePath: p === 'bitmap' ? 'auto' : 'jpeg' }),
          path,
        );
        const page = await context.newPage();
        // warm: the engine answers, and the page has moved to the frame path under test
        const r = await measure(page, url, options.seconds, (p) =>
          p
            .waitForFunction(
              (want) =>
                performance
                  .getEntriesByName('moodlens:frame')
                  .some(
                    (e) =>
                      ((e as PerformanceMeasure).detail as { transport: string; faces: number }).transport ===
                        want && ((e as PerformanceMeasure).detail as { faces: number }).faces > 0,
                  ),
              path,
              { timeout: 120_000, polling: 500 },
            )
            .then(() => undefined),
        );
        await page.close();
        const frames = r.frames.filter((f) => f.transport === path);
        const overlayBusy = r.overlay.reduce((a, o) => a + o.busyMs, 0);
        const overlaySpan = r.overlay.reduce((a, o) => a + o.duration, 0);
        rows.push({
          path,
          tiles,
          frames: frames.length,
          busyMedianMs: round(
            quantile(
              frames.map((f) => f.busyMs),
              0.5,
            ),
            2,
          ),
          busyP95Ms: round(
            quantile(
              frames.map((f) => f.busyMs),
              0.95,
            ),
            2,
          ),
          overlayMsPerSecond: round(overlaySpan > 0 ? (overlayBusy * 1000) / overlaySpan : NaN),
          latencyMedianMs: round(
            quantile(
              frames.filter((f) => f.faces > 0).map((f) => f.duration),
              0.5,
            ),
            0,
          ),
          latencyP95Ms: round(
            quantile(
              frames.filter((f) => f.faces > 0).map((f) => f.duration),
              0.95,
            ),
            0,
          ),
          longTasksPerMinute: round((r.longTasks.length * 60_000) / r.elapsed),
          longestTaskMs: round(Math.max(0, ...r.longTasks.map((t) => t.duration))),
        });
        process.stderr.write(`page bench: ${path}, ${String(tiles)} tiles done\n`);
      }
    }
    await worker.evaluate(() => chrome.storage.local.remove('framePath'));
  } finally {
    await context?.close();
    await plain.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
  return rows;
}

export function pageTable(rows: PageRow[]): string {
  const f = (x: number) => (Number.isNaN(x) ? '–' : String(x));
  return [
    '| frame path | tiles | frames | main thread ms/frame (median / p95) | overlay upkeep ms/s | latency ms (median / p95) | long tasks /min | longest task ms |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.path === 'none' ? 'page alone (peer)' : r.path} | ${String(r.tiles)} | ${String(r.frames)} | ${f(r.busyMedianMs)} / ${f(r.busyP95Ms)} | ${f(r.overlayMsPerSecond)} | ${f(r.latencyMedianMs)} / ${f(r.latencyP95Ms)} | ${f(r.longTasksPerMinute)} | ${f(r.longestTaskMs)} |`,
    ),
  ].join('\n');
}
