/**
 * `npm run soak -- --minutes N --tiles 9 [--warmup 2] [--headed] [--heap-diff] [--frame-path auto|jpeg]`: runs the demo call with the
 * development build of MoodLens (analysis on) for N minutes and watches its memory. Every minute
 * it samples, after the engine's first result:
 *
 * - the resident memory (VmRSS, Linux /proc) of the processes it can name: the offscreen
 *   document's, the service worker's and the call page's renderer, and the rest of Chromium
 *   (browser, GPU, utility processes, other renderers);
 * - the JS heap in use of those three after a garbage collection (CDP Runtime.getHeapUsage), and
 *   the named processes' resident memory again after that collection (what they keep);
 * - the engine's live tfjs tensors and the tfjs wasm back end's memory (in the offscreen document).
 *
 * `--heap-diff`: heap snapshots of the service worker and the offscreen document at the end of the
 * warm-up and at the end; prints the kinds of object that grew most (scripts/heap-census.ts).
 *
 * CDP does not say which renderer process runs which target, so each target marks its process
 * once at the start: it allocates 128 MiB (and drops it), and the process whose resident memory
 * grows by that much is its. Targets that share a process are named together.
 *
 * At the end it prints, per measure, the value at the end of the warm-up, at the end, and the
 * growth per minute after the warm-up (least squares), and the frames the page sampled against
 * the samples the session recorded. The development build's per-frame performance marks are
 * cleared from the page at every sample, so they do not count as the page's growth.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type CDPSession } from 'playwright-core';
import { autoStartRegistered } from './auto-start.ts';
import { rssMiB } from './process-memory.ts';
import { findChrome, QUIET_CHROMIUM_FLAGS } from './find-chrome.ts';
import { startServer } from './serve.ts';
import {
  censusGrowth,
  formatCensusGrowth,
  heapCensus,
  type HeapCensus,
  type HeapSnapshot,
} from './heap-census.ts';
import { formatFrames, formatGrowthTable, growthRows, type SoakSample } from './soak-report.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    tiles: { type: 'string', default: '9' },
    warmup: { type: 'string', default: '2' },
    headed: { type: 'boolean', default: false },
    'heap-diff': { type: 'boolean', default: false },
    // the frame path setting (auto: the relay's bitmaps where they work; jpeg: JPEG messages only)
    'frame-path': { type: 'string', default: 'auto' },
  },
});
const FRAME_PATH = values['frame-path'];
if (FRAME_PATH !== 'auto' && FRAME_PATH !== 'jpeg') throw new Error('--frame-path is auto or jpeg');
const MINUTES = Number(values.minutes);
const TILES = Number(values.tiles);
const WARMUP = Number(values.warmup);
const HEAP_DIFF = values['heap-diff'];
const EXTENSION = resolve(import.meta.dirname, '../dist/dev/chrome');
const MIB = 1024 * 1024;

type TargetName = 'offscreen document' | 'service worker' | 'call page';

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

/** Launches Chromium with the development build; resolves once its auto-start is registered. */
async function launch(): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'moodlens-soak-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChrome(),
    headless: !values.headed,
    args: [
      ...QUIET_CHROMIUM_FLAGS,
      `--disable-extensions-except=${EXTENSION}`,
      `--load-extension=${EXTENSION}`,
    ],
    ignoreDefaultArgs: ['--disable-extensions', '--enable-automation'],
  });
  context.on('close', () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      // Chromium may still be writing its profile; it is in the temp folder.
    }
  });
  await autoStartRegistered(context, 60_000);
  if (FRAME_PATH !== 'auto') {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    await worker.evaluate((path) => chrome.storage.local.set({ framePath: path }), FRAME_PATH);
  }
  return context;
}

/** Sends one CDP command to a target (page, worker, offscreen document) through the browser session. */
async function sendTo<T>(
  browser: CDPSession,
  targetId: string,
  method: string,
  params: object = {},
): Promise<T> {
  const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: false });
  try {
    const reply = new Promise<{ result?: T; error?: { message: string } }>((ok) => {
      const listen = (event: { sessionId: string; message: string }) => {
        if (event.sessionId !== sessionId) return;
        const message = JSON.parse(event.message) as { id?: number; result?: T; error?: { message: string } };
        if (message.id !== 1) return;
        browser.off('Target.receivedMessageFromTarget', listen);
        ok(message);
      };
      browser.on('Target.receivedMessageFromTarget', listen);
    });
    await browser.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({ id: 1, method, params }),
    });
    const { result, error } = await reply;
    if (error || result === undefined) throw new Error(`${method}: ${error?.message ?? 'no result'}`);
    return result;
  } finally {
    await browser.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
  }
}

/**
 * A heap snapshot of a target after garbage collection, counted by kind of object
 * (scripts/heap-census.ts); undefined when the target is gone.
 */
async function censusOf(browser: CDPSession, targetId: string): Promise<HeapCensus | undefined> {
  await sendTo(browser, targetId, 'HeapProfiler.collectGarbage').catch(() => undefined);
  const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: false });
  const chunks: string[] = [];
  try {
    const done = new Promise<void>((ok, fail) => {
      const listen = (event: { sessionId: string; message: string }) => {
        if (event.sessionId !== sessionId) return;
        const message = JSON.parse(event.message) as {
          id?: number;
          method?: string;
          params?: { chunk: string };
          error?: { message: string };
        };
        if (message.method === 'HeapProfiler.addHeapSnapshotChunk' && message.params)
          chunks.push(message.params.chunk);
        if (message.id !== 1) return;
        browser.off('Target.receivedMessageFromTarget', listen);
        if (message.error) fail(new Error(message.error.message));
        else ok();
      };
      browser.on('Target.receivedMessageFromTarget', listen);
    });
    await browser.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({ id: 1, method: 'HeapProfiler.takeHeapSnapshot', params: {} }),
    });
    await done;
    return heapCensus(JSON.parse(chunks.join('')) as HeapSnapshot);
  } catch (error) {
    console.log(`heap snapshot failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  } finally {
    await browser.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
  }
}

/** Evaluates an expression in a target (awaiting a promise) and returns its value. */
async function evaluateIn<T>(browser: CDPSession, targetId: string, expression: string): Promise<T> {
  const { result, exceptionDetails } = await sendTo<{
    result: { value: T };
    exceptionDetails?: { text: string };
  }>(browser, targetId, 'Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
  if (exceptionDetails) throw new Error(`evaluate: ${exceptionDetails.text}`);
  return result.value;
}

/** The three targets watched, found by type and address. */
async function findTargets(browser: CDPSession, pageUrl: string): Promise<Map<TargetName, string>> {
  const { targetInfos } = await browser.send('Target.getTargets');
  const find = (test: (t: TargetInfo) => boolean) => (targetInfos as TargetInfo[]).find(test)?.targetId;
  const found = new Map<TargetName, string>();
  const set = (name: TargetName, id: string | undefined) => id && found.set(name, id);
  set(
    'offscreen document',
    find((t) => t.type === 'background_page' && t.url.includes('/offscreen/')),
  );
  set(
    'service worker',
    find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension:')),
  );
  set(
    'call page',
    find((t) => t.type === 'page' && t.url.startsWith(pageUrl)),
  );
  return found;
}

/** Chromium's processes (CDP SystemInfo), pid → type. */
async function chromiumProcesses(browser: CDPSession): Promise<Map<number, string>> {
  const { processInfo } = await browser.send('SystemInfo.getProcessInfo');
  return new Map(processInfo.map((p) => [p.id, p.type]));
}

/** The renderer whose resident memory grows by about 128 MiB while the target holds that much. */
async function markProcess(
  browser: CDPSession,
  targetId: string,
  pids: number[],
): Promise<number | undefined> {
  const before = pids.map(rssMiB);
  await evaluateIn(browser, targetId, 'globalThis.__soakMark = new Uint8Array(128 << 20).fill(1), 0');
  const grown = pids.map((pid, i) => rssMiB(pid) - (before[i] as number));
  await evaluateIn(browser, targetId, 'delete globalThis.__soakMark');
  await sendTo(browser, targetId, 'HeapProfiler.collectGarbage');
  const best = grown.indexOf(Math.max(...grown.filter(Number.isFinite)));
  return (grown[best] ?? 0) > 96 ? pids[best] : undefined;
}

/** Process pid → the names of the targets it runs. */
async function nameProcesses(
  browser: CDPSession,
  targets: Map<TargetName, string>,
): Promise<Map<number, TargetName[]>> {
  const renderers = [...(await chromiumProcesses(browser))].filter(([, type]) => type === 'renderer');
  const named = new Map<number, TargetName[]>();
  for (const [name, targetId] of targets) {
    const pid = await markProcess(
      browser,
      targetId,
      renderers.map(([pid]) => pid),
    );
    if (pid === undefined) console.log(`could not tell which process runs the ${name}`);
    else named.set(pid, [...(named.get(pid) ?? []), name]);
  }
  return named;
}

/**
 * Resident memory per named process, the rest of Chromium, and all of it (a sum of RSS counts the
 * memory processes share more than once).
 */
async function sampleRss(
  browser: CDPSession,
  named: Map<number, TargetName[]>,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  let other = 0;
  let all = 0;
  for (const pid of (await chromiumProcesses(browser)).keys()) {
    const rss = rssMiB(pid);
    if (!Number.isFinite(rss)) continue;
    all += rss;
    const names = named.get(pid);
    if (names) out[`RSS ${names.join(' + ')} (MiB)`] = rss;
    else other += rss;
  }
  out['RSS rest of Chromium: browser, GPU, utility, other renderers (MiB)'] = other;
  out['RSS all Chromium processes (MiB)'] = all;
  return out;
}

/** JS heap in use per target, and the engine's live tensors. */
async function sampleHeaps(
  browser: CDPSession,
  targets: Map<TargetName, string>,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, targetId] of targets) {
    // what the heap keeps, not the garbage not yet collected (which swings from sample to sample)
    await sendTo(browser, targetId, 'HeapProfiler.collectGarbage').catch(() => undefined);
    const heap = await sendTo<{ usedSize: number }>(browser, targetId, 'Runtime.getHeapUsage').catch(
      () => undefined,
    );
    if (heap) out[`JS heap ${name} (MiB)`] = heap.usedSize / MIB;
  }
  const offscreen = targets.get('offscreen document');
  if (offscreen) {
    // tfjs-core keeps its engine on the global object
    const tensors = await evaluateIn<number | null>(
      browser,
      offscreen,
      'globalThis._tfengine?.state?.numTensors ?? null',
    ).catch(() => null);
    if (tensors !== null) out['engine tensors (count)'] = tensors;
    // the wasm back end's memory (a WebAssembly memory grows and never shrinks)
    const wasm = await evaluateIn<number | null>(
      browser,
      offscreen,
      'globalThis._tfengine?.registry?.wasm?.wasm?.HEAPU8?.byteLength ?? null',
    ).catch(() => null);
    if (wasm !== null) out['tfjs wasm memory (MiB)'] = wasm / MIB;
  }
  return out;
}

/** Frames sampled since the last call (and faces in them), the page's marks of them then cleared. */
async function takeFrameCounts(
  browser: CDPSession,
  pageId: string,
): Promise<{ frames: number; faces: number }> {
  return evaluateIn(
    browser,
    pageId,
    `(() => {
      const frames = performance.getEntriesByName('moodlens:frame');
      const faces = frames.reduce((n, e) => n + (e.detail?.faces ?? 0), 0);
      performance.clearMeasures('moodlens:frame');
      performance.clearMeasures('moodlens:overlay');
      return { frames: frames.length, faces };
    })()`,
  );
}

/** Samples the service worker's latest session has stored (read from its IndexedDB). */
async function recordedSamples(browser: CDPSession, workerId: string): Promise<number> {
  return evaluateIn(
    browser,
    workerId,
    `new Promise((ok, fail) => {
      const open = indexedDB.open('moodlens');
      open.onerror = () => fail(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const all = db.transaction('sessions').objectStore('sessions').getAll();
        all.onerror = () => fail(all.error);
        all.onsuccess = () => {
          db.close();
          const latest = all.result.sort((a, b) => b.startedAt - a.startedAt)[0];
          ok(latest ? latest.samples : 0);
        };
      };
    })`,
  );
}

/** Waits (up to 5 minutes) until every tile of the page has a labelled face. */
async function firstResults(context: BrowserContext, url: string): Promise<void> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.waitForFunction(
    (tiles) => {
      const layers = document
        .querySelector('[data-moodlens-overlay]')
        ?.shadowRoot?.querySelectorAll('.layer');
      return layers?.length === tiles && [...layers].every((l) => l.querySelector('.face'));
    },
    TILES,
    { timeout: 300_000, polling: 1000 },
  );
}

async function main(): Promise<void> {
  const server = await startServer(0);
  const context = await launch();
  try {
    const url = `${server.url}?tiles=${TILES}`;
    await firstResults(context, url);
    const browser = await context.browser()?.newBrowserCDPSession();
    if (!browser) throw new Error('no browser CDP session');
    const targets = await findTargets(browser, server.url);
    const named = await nameProcesses(browser, targets);
    const pageId = targets.get('call page');
    const workerId = targets.get('service worker');
    if (!pageId || !workerId) throw new Error('the call page or the service worker is missing');
    console.log(
      `soak: ${TILES} tiles, ${MINUTES} min (warm-up ${WARMUP} min), frame path ${FRAME_PATH}, a sample every minute`,
    );
    const counts = { frames: 0, faces: 0, recorded: 0 };
    const samples: SoakSample[] = [];
    const censuses = new Map<TargetName, HeapCensus>();
    const start = Date.now();
    for (let minute = 0; minute <= MINUTES; minute++) {
      await new Promise((ok) => setTimeout(ok, Math.max(0, start + minute * 60_000 - Date.now())));
      const now = await findTargets(browser, server.url); // the worker may have started again
      const values = { ...(await sampleRss(browser, named)), ...(await sampleHeaps(browser, now)) };
      // the same processes again once sampleHeaps has collected their garbage: what they keep
      for (const [name, mib] of Object.entries(await sampleRss(browser, named)))
        if (!name.startsWith('RSS rest') && !name.startsWith('RSS all'))
          values[name.replace(' (MiB)', ' after GC (MiB)')] = mib;
      samples.push({ minute, values });
      const taken = await takeFrameCounts(browser, now.get('call page') ?? pageId);
      counts.frames += taken.frames;
      counts.faces += taken.faces;
      const summary = Object.entries(values).map(([k, v]) => `${k.replace(/ \(.*\)$/, '')} ${v.toFixed(1)}`);
      console.log(`min ${minute}: ${summary.join('; ')}`);
      if (HEAP_DIFF && (minute === WARMUP || minute === MINUTES)) {
        for (const name of ['service worker', 'offscreen document'] as const) {
          const id = now.get(name);
          const census = id === undefined ? undefined : await censusOf(browser, id);
          const before = censuses.get(name);
          if (census && before && minute === MINUTES)
            console.log(formatCensusGrowth(name, censusGrowth(before, census)));
          if (census) censuses.set(name, census);
        }
      }
    }
    counts.recorded = await recordedSamples(
      browser,
      (await findTargets(browser, server.url)).get('service worker') ?? workerId,
    );
    console.log(`\n${formatGrowthTable(growthRows(samples, WARMUP), WARMUP)}\n`);
    console.log(formatFrames(counts));
  } finally {
    await context.close();
    await server.close();
  }
}

await main();
