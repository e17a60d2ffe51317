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
 * - long tasks (> 50 ms, PerformanceObserver 'longtask') per minute with MoodLens and without it;
 * - the content script's main-thread time per minute, from a CPU profile of the page (CDP
 *   Profiler, a sample every 200 µs): the samples whose stack runs through the extension's
 *   scripts. Measured with analysis on (each frame path) and off (the `off` row: the content
 *   script injected as the popup does, analysis never switched on), which should be about zero.
 *   The profiler itself slows the page a little: compare rows of one run.
 *
 * The page adds and removes a (hidden) chat line four times a second throughout, as a meeting's
 * chat, clock and speaker indicators do. Absolute times depend on the machine and what else runs
 * on it: compare the rows of one run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { findChrome, QUIET_CHROMIUM_FLAGS } from './find-chrome.ts';
import { startServer } from './serve.ts';

const EXTENSION = resolve(import.meta.dirname, '../dist/dev/chrome');
const FLAGS = QUIET_CHROMIUM_FLAGS;

export interface PageRow {
  /** The frame path with analysis on; `off`: the content script there, analysis off; `none`: no extension. */
  path: 'bitmap' | 'jpeg' | 'off' | 'none';
  tiles: number;
  frames: number;
  busyMedianMs: number;
  busyP95Ms: number;
  overlayMsPerSecond: number;
  latencyMedianMs: number;
  latencyP95Ms: number;
  longTasksPerMinute: number;
  longestTaskMs: number;
  /** Main-thread ms per minute in the extension's scripts (CPU profile samples). */
  contentMsPerMinute: number;
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

/** The part of a CDP Profiler.Profile read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { url: string }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Main-thread ms in the extension's scripts: profile samples with an extension frame on their stack. */
export function extensionMs(profile: CpuProfile): number {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const ours = new Map<number, boolean>();
  const isOurs = (id: number): boolean => {
    const known = ours.get(id);
    if (known !== undefined) return known;
    const url = byId.get(id)?.callFrame.url ?? '';
    const up = parent.get(id);
    const v = url.startsWith('chrome-extension://') || (up !== undefined && isOurs(up));
    ours.set(id, v);
    return v;
  };
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let us = 0;
  // a sample stands for the time until the next one
  for (let i = 0; i < samples.length; i++) if (isOurs(samples[i] as number)) us += deltas[i + 1] ?? 0;
  return us / 1000;
}

/** Starts the page's CPU profile; the function returned stops it and gives the extension's ms. */
async function profileExtension(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return async () => {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    await cdp.detach();
    return extensionMs(profile);
  };
}

/** A row for a page that sent no frames (no extension, or analysis off): its long tasks only. */
function rowWithoutFrames(
  path: 'none' | 'off',
  tiles: number,
  run: { longTasks: { duration: number }[]; elapsed: number },
  contentMsPerMinute: number,
): PageRow {
  return {
    path,
    tiles,
    frames: 0,
    busyMedianMs: NaN,
    busyP95Ms: NaN,
    overlayMsPerSecond: NaN,
    latencyMedianMs: NaN,
    latencyP95Ms: NaN,
    longTasksPerMinute: round((run.longTasks.length * 60_000) / run.elapsed),
    longestTaskMs: round(Math.max(0, ...run.longTasks.map((t) => t.duration))),
    contentMsPerMinute,
  };
}

async function measure(
  page: Page,
  url: string,
  seconds: number,
  warm: (p: Page) => Promise<void>,
  profile = false,
) {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  await warm(page);
  const stopProfile = profile ? await profileExtension(page) : undefined;
  // a meeting page is never still: a chat line comes and goes four times a second, as in a call
  await page.evaluate(() => {
    const log = document.body.appendChild(document.createElement('div'));
    log.hidden = true;
    setInterval(() => {
      const line = document.createElement('p');
      line.textContent = new Date().toISOString();
      log.append(line);
      if (log.childElementCount > 20) log.firstElementChild?.remove();
    }, 250);
  });
  const from = await page.evaluate(() => performance.now());
  await page.waitForTimeout(seconds * 1000);
  const contentMs = (await stopProfile?.()) ?? NaN;
  const timeline = await page.evaluate((since) => {
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
  return { ...timeline, contentMs };
}

/**
 * Starts the engine before the rows that use it: a cold start (loading the models) takes longer
 * than a relay frame waits for its reply, and the page would go over to JPEG messages for good.
 */
async function startEngine(context: BrowserContext, worker: Worker): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${new URL(worker.url()).host}/src/popup/index.html?tabId=-1`);
    const status = await page.evaluate(
      (): Promise<{ ok: boolean; value?: { state: string; error?: string } }> =>
        chrome.runtime.sendMessage({ moodlens: 1, type: 'popup>bg:engineStatus', payload: { start: true } }),
    );
    if (status.value?.state !== 'ready')
      throw new Error(`the engine did not start: ${status.value?.error ?? JSON.stringify(status)}`);
  } finally {
    await page.close();
  }
}

/** Waits until the auto-start content script is registered (`on`) or not. */
async function autoStartRegistered(worker: Worker, on: boolean): Promise<void> {
  await worker.evaluate(async (want) => {
    for (;;) {
      const n = (await chrome.scripting.getRegisteredContentScripts()).length;
      if (n > 0 === want) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }, on);
}

/**
 * Analysis off: the page with the content script as the popup leaves it (injected, never switched
 * on). The auto-start registration is lifted for the visit, and the script injected by hand.
 */
async function measureOff(context: BrowserContext, worker: Worker, url: string, seconds: number) {
  const script = await worker.evaluate(
    async () => (await chrome.scripting.getRegisteredContentScripts())[0]?.js?.[0],
  );
  if (script === undefined) throw new Error('no content script registered for the demo page');
  await worker.evaluate(() => chrome.storage.local.set({ autoStart: [] }));
  await autoStartRegistered(worker, false);
  const page = await context.newPage();
  try {
    return await measure(
      page,
      url,
      seconds,
      async (p) => {
        const pageUrl = p.url();
        await worker.evaluate(
          async ([u, file]) => {
            const tab = (await chrome.tabs.query({})).find((t) => t.url === u);
            if (tab?.id === undefined) throw new Error(`no tab at ${u}`);
            await chrome.scripting.executeScript({ target: { tabId: tab.id }, files: [file] });
            // its hello is answered (the tab's state has the page): analysis stays off
            const key = `tab:${String(tab.id)}`;
            for (;;) {
              const state = (await chrome.storage.session.get(key))[key] as { url?: string } | undefined;
              if (state?.url === u) return;
              await new Promise((r) => setTimeout(r, 50));
            }
          },
          [pageUrl, script] as const,
        );
      },
      true,
    );
  } finally {
    await page.close();
    await worker.evaluate(() => chrome.storage.local.remove('autoStart'));
    await autoStartRegistered(worker, true);
  }
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
    await startEngine(context, worker);
    const peerContext = await plain.newContext({ viewport: { width: 1280, height: 900 } });
    await peerContext.addInitScript(LONG_TASKS);
    for (const tiles of options.tiles) {
      const url = `${server.url}?tiles=${String(tiles)}`;
      // the peer: the same page, no extension
      const peer = await peerContext.newPage();
      const alone = await measure(peer, url, options.seconds, () => Promise.resolve());
      await peer.close();
      rows.push(rowWithoutFrames('none', tiles, alone, NaN));
      const off = await measureOff(context, worker, url, options.seconds);
      if (off.frames.length > 0 || off.overlay.length > 0) throw new Error('analysis ran in the off row');
      rows.push(rowWithoutFrames('off', tiles, off, round((off.contentMs * 60_000) / off.elapsed, 2)));
      process.stderr.write(`page bench: off, ${String(tiles)} tiles done\n`);
      for (const path of ['bitmap', 'jpeg'] as const) {
        await worker.evaluate(
          (p) => chrome.storage.local.set({ framePath: p === 'bitmap' ? 'auto' : 'jpeg' }),
          path,
        );
        const page = await context.newPage();
        // warm: the engine answers, and the page has moved to the frame path under test
        const r = await measure(
          page,
          url,
          options.seconds,
          (p) =>
            p
              .waitForFunction(
                (want) =>
                  performance
                    .getEntriesByName('moodlens:frame')
                    .some(
                      (e) =>
                        ((e as PerformanceMeasure).detail as { transport: string; faces: number })
                          .transport === want &&
                        ((e as PerformanceMeasure).detail as { faces: number }).faces > 0,
                    ),
                path,
                { timeout: 120_000, polling: 500 },
              )
              .then(() => undefined),
          true,
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
          contentMsPerMinute: round((r.contentMs * 60_000) / r.elapsed, 2),
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

const LABEL: Record<PageRow['path'], string> = {
  none: 'page alone (peer)',
  off: 'analysis off',
  bitmap: 'bitmap',
  jpeg: 'jpeg',
};

export function pageTable(rows: PageRow[]): string {
  const f = (x: number) => (Number.isNaN(x) ? '–' : String(x));
  return [
    '| frame path | tiles | frames | main thread ms/frame (median / p95) | overlay upkeep ms/s | latency ms (median / p95) | long tasks /min | longest task ms | content script ms/min |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${LABEL[r.path]} | ${String(r.tiles)} | ${String(r.frames)} | ${f(r.busyMedianMs)} / ${f(r.busyP95Ms)} | ${f(r.overlayMsPerSecond)} | ${f(r.latencyMedianMs)} / ${f(r.latencyP95Ms)} | ${f(r.longTasksPerMinute)} | ${f(r.longestTaskMs)} | ${f(r.contentMsPerMinute)} |`,
    ),
  ].join('\n');
}
