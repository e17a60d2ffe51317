/**
 * The built extension (dist/dev/chrome) in Debian's Chromium, driven by playwright-core.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page, type Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChrome, QUIET_CHROMIUM_FLAGS } from '../../scripts/find-chrome.ts';
import { FerClassifier } from '../../src/engine/fer/classifier.ts';
import { parseSessionCsv } from '../../src/shared/export.ts';
import { useNodeBackend } from '../../src/engine/fer/node-backends.ts';
import { nodeModelSource } from '../../src/engine/fer/node-source.ts';
import { wasmThreadCount } from '../../src/engine/wasm-threads.ts';
import { startServer, type RunningServer } from '../../scripts/serve.ts';
import { ferFaces, PARITY_INDICES } from '../fixtures/fer-faces.ts';
import { expectFacesPlaced, expectPlausibleLabels } from './expectations.ts';
import { storedSessions, type StoredSession } from './stored-sessions.ts';
import { throughout, until } from './wait.ts';
import { sidePanelTests } from './side-panel.chromium.ts';
import { CLOSED_OVERLAY_PARAM } from '../../src/content/overlay.ts';
import {
  FACE_BOX_ERRORS,
  freshFacesShown,
  markFacesSeen,
  recreateVideos,
  readLikeAHostilePage,
  type FaceBoxError,
  PLACEMENT_LAYOUTS,
  overlaysMatch,
  snapshotFaces,
  snapshotOverlay,
  worstPictureError,
  type OverlaySnapshot,
} from './page-probes.ts';

const EXTENSION = resolve(import.meta.dirname, '../../dist/dev/chrome');
/**
 * Chrome's id for an unpacked extension: the first 128 bits of SHA-256 of its path, as letters a-p.
 * tabCapture asks for a click on the toolbar button first; Chrome waives that for an allowlisted id.
 */
const EXTENSION_ID = createHash('sha256')
  .update(EXTENSION)
  .digest('hex')
  .slice(0, 32)
  .replace(/[0-9a-f]/g, (c) => String.fromCharCode(97 + parseInt(c, 16)));

let server: RunningServer;
let context: BrowserContext;
let worker: Worker;
let extensionId: string;
/** What beforeAll set up, undone in reverse order (also when it failed half-way). */
const cleanups: (() => Promise<void> | void)[] = [];

/**
 * Waits (re-measuring on every animation frame) until the page's overlay satisfies `predicate`,
 * which gets the snapshot and overlaysMatch (both run inside the page).
 */
async function overlayWhen(
  page: Page,
  predicate: (s: OverlaySnapshot, match: typeof overlaysMatch) => boolean,
): Promise<OverlaySnapshot> {
  // re-measures on each animation frame until the page reaches the state
  await page.waitForFunction(
    `(${predicate.toString()})((${snapshotOverlay.toString()})(), ${overlaysMatch.toString()})`,
    undefined,
    {
      polling: 'raf',
      timeout: 20_000,
    },
  );
  return page.evaluate(snapshotOverlay);
}

async function tabIdOf(url: string): Promise<number> {
  return worker.evaluate(async (u) => {
    const tabs = await chrome.tabs.query({});
    const tab = tabs.find((t) => t.url?.startsWith(u));
    if (tab?.id === undefined) throw new Error(`no tab at ${u}`);
    return tab.id;
  }, url);
}

/** Whether the auto-start content script is registered (the development build lists localhost sites). */
async function autoStartRegistered(): Promise<boolean> {
  return (
    (await worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts()).length)) === 1
  );
}

/**
 * Runs `body` with no auto-start site (so pages start only when switched on), then puts back the
 * list as it was: stored, or absent (the development build's default list).
 */
async function withoutAutoStartSites(body: () => Promise<void>): Promise<void> {
  const stored = await worker.evaluate(async () => (await chrome.storage.local.get('autoStart')).autoStart);
  await worker.evaluate(() => chrome.storage.local.set({ autoStart: [] }));
  try {
    await until('the auto-start registration gone', async () => !(await autoStartRegistered()));
    await body();
  } finally {
    await worker.evaluate(
      (list) =>
        list === undefined
          ? chrome.storage.local.remove('autoStart')
          : chrome.storage.local.set({ autoStart: list }),
      stored,
    );
    await until('the auto-start registration back', autoStartRegistered);
  }
}

/** What the background keeps for a tab (storage.session, src/background/tab-state.ts). */
type TabStateSeen = { transport?: string; transportNote?: string; unreadable?: number };

async function tabState(tabId: number): Promise<TabStateSeen> {
  const state = await worker.evaluate(
    async (id) => (await chrome.storage.session.get(`tab:${id}`))[`tab:${id}`] ?? {},
    tabId,
  );
  return state;
}

/** The relay page's URL as content scripts get it (runtime.getURL: this session's dynamic URL). */
function relayUrl(): Promise<string> {
  return worker.evaluate(() => chrome.runtime.getURL('src/relay/index.html'));
}

async function openPopup(tabId: number): Promise<Page> {
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=${tabId}`);
  return popup;
}

beforeAll(async () => {
  if (!existsSync(join(EXTENSION, 'manifest.json')))
    throw new Error('dist/dev/chrome is missing: run npm run build');
  server = await startServer(0);
  cleanups.push(() => server.close());
  const profile = mkdtempSync(join(tmpdir(), 'moodlens-chromium-'));
  cleanups.push(() => rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROME_PATH ?? findChrome(),
    headless: true,
    args: [
      `--disable-extensions-except=${EXTENSION}`,
      `--load-extension=${EXTENSION}`,
      ...QUIET_CHROMIUM_FLAGS,
      `--allowlisted-extension-id=${EXTENSION_ID}`,
    ],
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: { width: 1280, height: 900 },
  });
  cleanups.push(() => context.close());
  worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  extensionId = new URL(worker.url()).host;
  // auto-start on localhost is registered when the extension is installed
  await until(
    'the auto-start registration',
    async () =>
      (await worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts()).length)) ===
      1,
  );
});

afterAll(async () => {
  for (const undo of cleanups.reverse()) await undo();
});

describe('Chromium: background and engine host', () => {
  it('runs the service worker of the built extension', async () => {
    expect(worker.url()).toBe(`chrome-extension://${extensionId}/service-worker-loader.js`);
    const manifest = await worker.evaluate(() => chrome.runtime.getManifest());
    expect(manifest.name).toBe('MoodLens (dev)');
    expect(manifest.permissions).toContain('offscreen');
  });

  it('creates one offscreen document on demand, which answers a ping, and recreates it when gone', async () => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=999999`);
    const ping = () =>
      page.evaluate((): Promise<{ ok: boolean; value?: { host: string } }> =>
        chrome.runtime.sendMessage({ moodlens: 1, type: 'popup>bg:pingEngine', payload: {} }),
      );
    const count = () =>
      worker.evaluate(
        async () =>
          (
            await chrome.runtime.getContexts({
              contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
            })
          ).length,
      );
    expect(await ping()).toMatchObject({ ok: true, value: { host: 'offscreen' } });
    expect(await count()).toBe(1);
    await Promise.all([ping(), ping(), ping()]);
    expect(await count()).toBe(1);
    await worker.evaluate(() => chrome.offscreen.closeDocument());
    expect(await count()).toBe(0);
    expect(await ping()).toMatchObject({ ok: true, value: { host: 'offscreen' } });
    expect(await count()).toBe(1);
    await page.close();
  });

  it(
    "starts the engine in the offscreen document: packaged model, a probed back end, wasm threads by the core count or a developer's count",
    { timeout: 180_000 },
    async () => {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=999999`);
      const start = () =>
        page.evaluate(
          (): Promise<{
            ok: boolean;
            value?: {
              state: string;
              backend?: string;
              wasmThreads?: number;
              detector?: string;
              model?: { params: number };
              probes?: unknown[];
              error?: string;
            };
          }> =>
            chrome.runtime.sendMessage({
              moodlens: 1,
              type: 'popup>bg:engineStatus',
              payload: { start: true },
            }),
        );
      const status = await start();
      expect(status.ok).toBe(true);
      expect(status.value?.error).toBeUndefined();
      expect(status.value?.state).toBe('ready');
      expect(['webgpu', 'webgl', 'wasm']).toContain(status.value?.backend);
      expect(status.value?.model?.params).toBeGreaterThan(1_000_000);
      expect(status.value?.detector).toMatch(/mediapipe-blazeface/);
      expect(status.value?.probes?.length).toBeGreaterThan(0);
      // the automatic count: none below four cores (tfjs then reports its single thread)
      const cores = await worker.evaluate(() => navigator.hardwareConcurrency);
      if (status.value?.backend === 'wasm')
        expect(status.value.wasmThreads).toBe(Math.max(1, wasmThreadCount(cores)));

      // a developer's count reaches the next document, and tfjs's threads start there from the
      // packaged scripts (scripts/tfjs-wasm-threads-plugin.ts); the tests after this one run with it
      await worker.evaluate(() => chrome.storage.local.set({ wasmThreads: 2 }));
      await worker.evaluate(() => chrome.offscreen.closeDocument());
      const threaded = await start();
      expect(threaded.value?.state).toBe('ready');
      if (threaded.value?.backend === 'wasm') expect(threaded.value.wasmThreads).toBe(2);
      await page.close();
    },
  );

  it(
    'gives the same probabilities as the Node classifier on the same faces (the packaged model)',
    { timeout: 120_000 },
    async () => {
      const faces = ferFaces(PARITY_INDICES.slice(0, 8));
      await useNodeBackend('cpu');
      const node = await FerClassifier.load(await nodeModelSource());
      const expected = (await node.classify(faces)).map((p) => Array.from(p));
      node.dispose();

      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=999999`);
      const reply = await page.evaluate(
        (
          f,
        ): Promise<{
          ok: boolean;
          value?: { probabilities: number[][]; backend?: string };
          error?: string;
        }> =>
          chrome.runtime.sendMessage({ moodlens: 1, type: 'popup>bg:classifyFaces', payload: { faces: f } }),
        faces.map((f) => Array.from(f)),
      );
      await page.close();
      expect(reply.error).toBeUndefined();
      const got = reply.value?.probabilities ?? [];
      expect(got).toHaveLength(8);
      let worst = 0;
      got.forEach((row, i) =>
        row.forEach((p, j) => (worst = Math.max(worst, Math.abs(p - (expected[i]?.[j] ?? 9))))),
      );
      expect(worst, `on ${reply.value?.backend ?? '?'}`).toBeLessThan(1e-3);
      // not a constant answer: the faces get different emotions
      expect(new Set(got.map((p) => p.indexOf(Math.max(...p)))).size).toBeGreaterThan(1);
    },
  );

  it('refuses a popup message from a web page context', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}fixtures/no-video.html`);
    // the page itself cannot reach the extension: no externally_connectable
    const reachable = await page.evaluate(
      () =>
        typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime
          ?.sendMessage,
    );
    expect(reachable).not.toBe('function');
    await page.close();
  });
});

describe('Chromium: the demo meeting', () => {
  let demo: Page;

  beforeAll(async () => {
    demo = await context.newPage();
    await demo.goto(server.url);
    await demo.waitForSelector('body[data-ready="true"]');
  });

  it('finds every tile and keeps a layer over each video (object-fit: cover) within 2 px', async () => {
    const tiles = await demo.locator('figure.tile video').count();
    expect(tiles).toBe(9);
    const snap = await overlayWhen(demo, (s) => s.layers.length === 9);
    expect(overlaysMatch(snap, 2)).toBe(true);
    expect(snap.pointerEvents).toBe('none');
    expect(
      await demo.evaluate(() => getComputedStyle(document.querySelector('video') as Element).objectFit),
    ).toBe('cover');
    expect(worstPictureError(snap)).toBeLessThanOrEqual(2);
  });

  it(
    'sends frames through the engine and labels every participant’s face',
    { timeout: 120_000 },
    async () => {
      await demo.bringToFront();
      await demo.waitForFunction(
        `(${snapshotFaces.toString()})().filter((l) => l.faces.length > 0).length >= 8`,
        undefined,
        { polling: 500, timeout: 100_000 },
      );
      expectPlausibleLabels(await demo.evaluate(snapshotFaces));
    },
  );

  it('follows a window resize and a scroll', async () => {
    await demo.setViewportSize({ width: 700, height: 600 });
    // the grid reflows to narrower tiles; every layer follows its video
    let snap = await overlayWhen(demo, (s, match) => s.videos.every((v) => v.box.width < 400) && match(s, 2));
    const before = snap.videos[0]?.box.y ?? 0;
    await demo.evaluate(() => window.scrollBy(0, 300));
    snap = await overlayWhen(demo, (s, match) => s.videos.some((v) => v.box.y < 0) && match(s, 2));
    expect(snap.videos[0]?.box.y).toBeLessThan(before);
    await demo.setViewportSize({ width: 1280, height: 900 });
    await demo.evaluate(() => window.scrollTo(0, 0));
    await overlayWhen(demo, (s, match) => s.videos.every((v) => v.box.width > 300) && match(s, 2));
  });

  it('keeps the layers over the videos in fullscreen, inside the fullscreen element', async () => {
    await demo.click('#fullscreen');
    await demo.waitForFunction(() => document.fullscreenElement?.id === 'grid');
    const snap = await overlayWhen(demo, (s, match) => match(s, 2));
    expect(snap.videos).toHaveLength(9);
    expect(
      await demo.evaluate(() => document.querySelector('#grid > [data-moodlens-overlay]') !== null),
    ).toBe(true);
    // the overlay host takes no place in the grid: the tiles keep one size, the host stays fixed
    const tiles = await demo.evaluate(() =>
      [...document.querySelectorAll('#grid > figure')].map((f) =>
        Math.round(f.getBoundingClientRect().width),
      ),
    );
    expect(new Set(tiles).size).toBe(1);
    const position = await demo.evaluate(
      () => getComputedStyle(document.querySelector('[data-moodlens-overlay]') as Element).position,
    );
    expect(position).toBe('fixed');
    await demo.evaluate(() => document.exitFullscreen());
    await demo.waitForFunction(() => !document.fullscreenElement);
    await overlayWhen(demo, (s, match) => match(s, 2));
    expect(await demo.evaluate(() => document.querySelector('html > [data-moodlens-overlay]') !== null)).toBe(
      true,
    );
  });

  it('gives a video added at run time a layer, and removes it with the video', async () => {
    await demo.click('#add-participant');
    await overlayWhen(demo, (s) => s.videos.length === 10 && s.layers.length === 10);
    await demo.click('#remove-participant');
    await demo.click('#remove-participant');
    const snap = await overlayWhen(demo, (s) => s.videos.length === 8 && s.layers.length === 8);
    expect(overlaysMatch(snap, 2)).toBe(true);
  });

  it('turns analysis off and on from the popup', async () => {
    const tabId = await tabIdOf(server.url);
    const popup = await openPopup(tabId);
    const toggle = popup.getByTestId('enable-switch');
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
    await expect.poll(() => popup.getByTestId('video-count').getAttribute('data-videos')).toBe('8');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
    await demo.bringToFront();
    await demo.waitForFunction(() => !document.querySelector('[data-moodlens-overlay]'));
    const badgeOff = await worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
    expect(badgeOff).toBe('');
    await popup.bringToFront();
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
    await demo.bringToFront();
    await overlayWhen(demo, (s) => s.layers.length === 8);
    expect(await worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId)).toBe('ON');
    await popup.close();
  });

  it('shows the engine in the popup and switches its back end from there', { timeout: 120_000 }, async () => {
    const popup = await openPopup(await tabIdOf(server.url));
    const status = popup.getByTestId('engine-status');
    await until('the engine runs', async () => (await status.getAttribute('data-state')) === 'ready');
    await popup.getByTestId('backend-select').selectOption('cpu');
    // the switch waits for the frame in progress, which the demo's tiles keep coming: allow a busy machine time
    await until(
      'the engine runs on cpu',
      async () => /Engine running on CPU: cpu, as set in the settings/.test(await status.innerText()),
      60_000,
    );
    expect(await worker.evaluate(async () => (await chrome.storage.local.get('backend')).backend)).toBe(
      'cpu',
    );
    await popup.getByTestId('backend-select').selectOption('auto');
    await until(
      'the engine runs on an automatic choice',
      async () => /fastest that works/.test(await status.innerText()),
      60_000,
    );
    expect(
      await worker.evaluate(async () => (await chrome.storage.local.get('backend')).backend),
    ).toBeUndefined();
    await popup.close();
  });

  it('keeps the tab state when the service worker is stopped', async () => {
    const tabId = await tabIdOf(server.url);
    // stop the worker the way Chrome does when it idles: through the extension's own service worker registration
    await worker.evaluate(() => {
      (globalThis as { beforeStop?: boolean }).beforeStop = true;
    });
    const cdp = await context.newCDPSession(demo);
    const { targetInfos } = (await cdp.send('Target.getTargets')) as {
      targetInfos: { type: string; url: string; targetId: string }[];
    };
    const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.includes(extensionId));
    if (!sw) throw new Error('the extension service worker is not among the targets');
    await cdp.send('Target.closeTarget', { targetId: sw.targetId });
    const popup = await openPopup(tabId);
    await expect
      .poll(() => popup.getByTestId('enable-switch').getAttribute('aria-checked'), { timeout: 20_000 })
      .toBe('true');
    await expect.poll(() => popup.getByTestId('video-count').getAttribute('data-videos')).toBe('8');
    worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    // a new worker instance: module state is gone, the tab state was in storage.session
    expect(await worker.evaluate(() => (globalThis as { beforeStop?: boolean }).beforeStop)).toBeUndefined();
    await popup.close();
  });
});

describe('Chromium: face boxes on the faces', () => {
  for (const layout of PLACEMENT_LAYOUTS) {
    it(
      `draws each face's labelled box within 8 px of the face: ${layout.name}`,
      { timeout: 200_000 },
      async () => {
        const page = await context.newPage();
        await page.goto(`${server.url}${layout.query}`);
        await page.waitForSelector('body[data-ready="true"]');
        // the demo says where each face is (video pixels); the probe maps it through object-fit and mirroring
        await expectFacesPlaced(() => page.evaluate<FaceBoxError[]>(FACE_BOX_ERRORS), 4, 8, 100_000);
        expectPlausibleLabels(await page.evaluate(snapshotFaces));
        const tabId = await tabIdOf(`${server.url}${layout.query}`);
        // frames take the bitmap path (the relay frame), not the JPEG fallback, once the relay is up
        await until(
          'frames on the bitmap path',
          async () => (await tabState(tabId)).transport === 'bitmap',
          60_000,
        );
        await page.close();
      },
    );
  }
});

describe('Chromium: the frame paths', () => {
  const transportOf = async (tabId: number) => (await tabState(tabId)).transport;

  it(
    'sends frames as JPEG messages when the settings say so, and still labels the face',
    { timeout: 120_000 },
    async () => {
      await worker.evaluate(() => chrome.storage.local.set({ framePath: 'jpeg' }));
      try {
        const page = await context.newPage();
        await page.goto(`${server.url}fixtures/person.html`);
        await page.waitForFunction(
          `(${snapshotFaces.toString()})().some((l) => l.faces.length === 1)`,
          undefined,
          {
            polling: 500,
            timeout: 100_000,
          },
        );
        expectPlausibleLabels(await page.evaluate(snapshotFaces));
        expect(await transportOf(await tabIdOf(`${server.url}fixtures/person.html`))).toBe('jpeg');
        // no relay frame was put in the page
        expect(await page.evaluate(() => document.querySelector('moodlens-relay'))).toBeNull();
        await page.close();
      } finally {
        await worker.evaluate(() => chrome.storage.local.remove('framePath'));
      }
    },
  );

  it(
    'sends each analysed tab’s frames on that tab’s own channel, none on the channel all relays share',
    { timeout: 120_000 },
    async () => {
      // a cold engine starts slower than a relay frame waits for its reply (the page would go over to JPEG)
      const starter = await context.newPage();
      await starter.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=999999`);
      await starter.evaluate(() =>
        chrome.runtime.sendMessage({ moodlens: 1, type: 'popup>bg:engineStatus', payload: { start: true } }),
      );
      await starter.close();
      const urls = [`${server.url}?tiles=1`, `${server.url}?tiles=2`];
      const pages: Page[] = [];
      for (const url of urls) {
        const page = await context.newPage();
        await page.goto(url);
        pages.push(page);
      }
      const tabs = await Promise.all(urls.map(tabIdOf));
      // an extension context listens where the relays post, as the engine page does
      const names = ['moodlens:frames', ...tabs.map((t) => `moodlens:frames:${String(t)}`)];
      await worker.evaluate((list) => {
        const seen: Record<string, string[]> = {};
        const channels = list.map((name) => {
          seen[name] = [];
          const c = new BroadcastChannel(name);
          c.onmessage = (e: MessageEvent<{ kind: string; bitmap?: ImageBitmap }>) => {
            seen[name]?.push(e.data.kind);
            e.data.bitmap?.close();
          };
          return c;
        });
        Object.assign(globalThis, { channelProbe: { seen, channels } });
      }, names);
      const seen = () =>
        worker.evaluate(
          () =>
            (globalThis as unknown as { channelProbe: { seen: Record<string, string[]> } }).channelProbe.seen,
        );
      const frames = (s: Record<string, string[]>, name: string) =>
        (s[name] ?? []).filter((k) => k === 'frame');
      try {
        let turn = 0;
        await until(
          'frames from both tabs, each on its own channel',
          async () => {
            // a hidden tab stops sampling: each tab in front in turn
            await pages[turn++ % pages.length]?.bringToFront();
            const s = await seen();
            return names.slice(1).every((name) => frames(s, name).length >= 3);
          },
          90_000,
        );
        const s = await seen();
        expect(frames(s, 'moodlens:frames')).toEqual([]);
        expect((s['moodlens:frames'] ?? []).every((k) => k === 'hello')).toBe(true);
      } finally {
        await worker.evaluate(() => {
          for (const c of (globalThis as unknown as { channelProbe: { channels: BroadcastChannel[] } })
            .channelProbe.channels)
            c.close();
        });
        for (const page of pages) await page.close();
      }
    },
  );

  it(
    'tab-capture mode: from the popup, reads the faces of a call drawn into canvases (no <video>), one inside a custom element’s open shadow root',
    { timeout: 200_000 },
    async () => {
      const url = `${server.url}fixtures/canvas-call.html`;
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForSelector('body[data-ready="true"]');
      const tabId = await tabIdOf(url);
      expect(extensionId).toBe(EXTENSION_ID);
      const popup = await openPopup(tabId);
      await expect
        .poll(() => popup.getByTestId('video-count').textContent())
        .toMatch(/No video on this page/);
      await popup.getByTestId('capture-button').click();
      // starting the capture opens the tab's stream in the offscreen document: allow it time
      await expect
        .poll(
          async () =>
            (await popup.getByTestId('capture-button').getAttribute('aria-pressed')) === 'true' ||
            (await popup.locator('body').innerText()),
          { timeout: 30_000 },
        )
        .toBe(true);
      await page.bringToFront();
      // a layer over each canvas, and a labelled face inside one of them
      await page.waitForFunction(
        `(${snapshotFaces.toString()})().length === 2 && (${snapshotFaces.toString()})().some((l) => l.faces.length > 0)`,
        undefined,
        { polling: 500, timeout: 180_000 },
      );
      expectPlausibleLabels(await page.evaluate(snapshotFaces));
      await popup.bringToFront();
      await popup.getByTestId('capture-button').click();
      await expect
        .poll(() => popup.getByTestId('capture-button').getAttribute('aria-pressed'), { timeout: 30_000 })
        .toBe('false');
      await page.bringToFront();
      // element mode again: canvases are not tiles there
      await page.waitForFunction(`(${snapshotFaces.toString()})().length === 0`, undefined, {
        timeout: 20_000,
      });
      await popup.close();
      await page.close();
    },
  );

  it('refuses a relay frame that a web page made itself (it does not know the tab’s token)', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}fixtures/no-video.html`);
    // the worst case: a page that learned this session's dynamic URL of the relay
    const url = await relayUrl();
    const answer = await page.evaluate(async (url) => {
      const frame = document.createElement('iframe');
      frame.src = url;
      document.body.append(frame);
      await new Promise((r) => frame.addEventListener('load', r, { once: true }));
      const channel = new MessageChannel();
      const reply = new Promise<unknown>((resolve) => (channel.port1.onmessage = (e) => resolve(e.data)));
      frame.contentWindow?.postMessage({ moodlens: 'relay-init', token: 'guessed' }, '*', [channel.port2]);
      return reply;
    }, url);
    expect(answer).toEqual({
      kind: 'refused',
      reason: expect.stringMatching(/not made by the tab/) as string,
    });
    await page.close();
  });

  it('keeps the relay from web pages at its static URL, so no site can tell that MoodLens is installed', async () => {
    const staticUrl = `chrome-extension://${extensionId}/src/relay/index.html`;
    const dynamicUrl = await relayUrl();
    // use_dynamic_url: runtime.getURL names the relay by a per-session id, not the extension id
    expect(new URL(dynamicUrl).host).not.toBe(extensionId);
    const page = await context.newPage();
    await page.goto(`${server.url}fixtures/no-video.html`);
    const fetched = (url: string) =>
      page.evaluate(
        (u) =>
          fetch(u).then(
            (r) => r.status,
            () => 'blocked',
          ),
        url,
      );
    expect(await fetched(staticUrl)).toBe('blocked');
    expect(await fetched(dynamicUrl)).toBe(200);
    // framed at the static URL the navigation is cancelled (chrome-extension://invalid/); framed
    // at the dynamic one the relay loads at its static URL: the content script must post its
    // init message to the extension's own origin, not to the dynamic URL's
    const framed = async (url: string) => {
      await page.evaluate(async (u) => {
        const frame = document.createElement('iframe');
        frame.src = u;
        document.body.append(frame);
        await new Promise((r) => frame.addEventListener('load', r, { once: true }));
      }, url);
      return page.frames().at(-1)?.url();
    };
    expect(await framed(staticUrl)).not.toBe(staticUrl);
    expect(await framed(dynamicUrl)).toBe(staticUrl);
    await page.close();
  });
});

describe('Chromium: a hostile page, a broken relay', () => {
  interface CdpNode {
    nodeType: number;
    localName?: string;
    nodeValue?: string;
    children?: CdpNode[];
    shadowRoots?: CdpNode[];
  }
  /** The overlay's label texts as the browser itself sees them (DevTools protocol: reaches closed roots). */
  const labelsDrawn = async (page: Page): Promise<string[]> => {
    const cdp = await context.newCDPSession(page);
    try {
      const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: CdpNode };
      const texts: string[] = [];
      const walk = (node: CdpNode, inOverlay: boolean) => {
        const overlay = inOverlay || node.localName === 'moodlens-overlay';
        if (overlay && node.nodeType === 3 && /%$/.test(node.nodeValue ?? ''))
          texts.push(node.nodeValue ?? '');
        for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) walk(child, overlay);
      };
      walk(root, false);
      return texts;
    } finally {
      await cdp.detach();
    }
  };
  const openDemo = async (query: string) => {
    const page = await context.newPage();
    await page.goto(`${server.url}${query}`);
    await page.waitForSelector('body[data-ready="true"]');
    return { page, tabId: await tabIdOf(`${server.url}${query}`) };
  };
  /** Waits until the overlay draws faces from frames analysed after this call. */
  const freshFaces = async (page: Page, what: string, timeout: number) => {
    await page.evaluate(markFacesSeen);
    await page
      .waitForFunction(`(${freshFacesShown.toString()})()`, undefined, { polling: 250, timeout })
      .catch(() => {
        throw new Error(`no newly labelled face within ${timeout} ms ${what}`);
      });
  };

  it(
    'a page script finds no expression in the DOM, open shadow roots or innerText while faces are labelled',
    { timeout: 200_000 },
    async () => {
      const { page } = await openDemo(`?tiles=4&${CLOSED_OVERLAY_PARAM}=1`);
      await until(
        'labelled faces in the closed overlay',
        async () => (await labelsDrawn(page)).length >= 3,
        100_000,
        500,
      );
      expect(await page.evaluate(readLikeAHostilePage)).toEqual({
        overlayHostFound: true,
        overlayRootOpen: false,
        hits: [],
      });
      // the same probe does find the labels when the overlay is open (the development-build test hook)
      const { page: open } = await openDemo('?tiles=4&probe=open');
      await open.waitForFunction(
        `(${snapshotFaces.toString()})().some((l) => l.faces.length > 0)`,
        undefined,
        {
          polling: 500,
          timeout: 100_000,
        },
      );
      expect((await open.evaluate(readLikeAHostilePage)).hits.length).toBeGreaterThan(0);
      await open.close();
      await page.close();
    },
  );

  it('ignores pagehide and pageshow events a page script dispatches', async () => {
    const { page } = await openDemo('?tiles=2&probe=events');
    await page.waitForFunction(`(${snapshotFaces.toString()})().some((l) => l.faces.length > 0)`, undefined, {
      polling: 500,
      timeout: 100_000,
    });
    await page.evaluate(() => {
      (window as { overlayBefore?: Element | null }).overlayBefore =
        document.querySelector('[data-moodlens-overlay]');
      dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
      dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    });
    await freshFaces(page, 'after the synthetic events', 20_000);
    // the same overlay: the content script neither stopped nor started again
    expect(
      await page.evaluate(
        () =>
          document.querySelector('[data-moodlens-overlay]') ===
          (window as { overlayBefore?: Element | null }).overlayBefore,
      ),
    ).toBe(true);
    await page.close();
  });

  it(
    'labels faces within seconds when the page removes the relay: made again once, then JPEG',
    { timeout: 200_000 },
    async () => {
      const { page, tabId } = await openDemo('?tiles=3&probe=relay');
      await until(
        'frames on the bitmap path',
        async () => (await tabState(tabId)).transport === 'bitmap',
        60_000,
      );
      // labelled faces first: the seconds below count from a warm engine, not from the model's first load
      await freshFaces(page, 'on the bitmap path', 100_000);
      await page.evaluate(() => document.querySelector('moodlens-relay')?.remove());
      await freshFaces(page, 'after the relay was removed', 8_000);
      // made again once (the note tells a new relay from the removed one, whose state may still be read)...
      await until(
        'frames on a relay made again',
        async () => {
          const state = await tabState(tabId);
          return state.transport === 'bitmap' && /made again/.test(state.transportNote ?? '');
        },
        60_000,
      );
      expect(await page.evaluate(() => document.querySelectorAll('moodlens-relay').length)).toBe(1);
      await page.evaluate(() => document.querySelector('moodlens-relay')?.remove());
      await freshFaces(page, 'after the relay was removed a second time', 8_000);
      // ...then the JPEG path for the rest of the page, and the popup says so
      await until('the JPEG path', async () => (await tabState(tabId)).transport === 'jpeg');
      await freshFaces(page, 'on the JPEG path', 8_000);
      const popup = await openPopup(tabId);
      await expect
        .poll(() => popup.getByTestId('frame-path').textContent())
        .toMatch(
          /JPEG images: the page removed the relay frame; frames go as JPEG images for the rest of this page/,
        );
      await popup.close();
      await page.close();
    },
  );
});

describe('Chromium: other pages', () => {
  it('measures object-fit contain with borders and padding, skips tiny and hidden videos, finds a video in a shadow root', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}fixtures/shapes.html`);
    await page.waitForSelector('body[data-ready="true"]');
    const snap = await overlayWhen(page, (s) => s.layers.length === 3 && s.videos.length === 3);
    expect(snap.videos.map((v) => v.id).sort()).toEqual(['contain', 'cover', 'in-shadow']);
    expect(overlaysMatch(snap, 2)).toBe(true);
    expect(worstPictureError(snap)).toBeLessThanOrEqual(2);
    await page.close();
  });

  it(
    'skips videos it cannot read (cross-origin, all black) and says why in the popup, with nothing in the page console',
    {
      timeout: 60_000,
    },
    async () => {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        // the test server has no favicon: that 404 is the browser's, not MoodLens's
        if ((m.type() === 'error' || m.type() === 'warning') && !m.location().url.endsWith('/favicon.ico'))
          errors.push(`${m.text()} (${m.location().url})`);
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}fixtures/unreadable.html`);
      await page.waitForFunction(() =>
        [...document.querySelectorAll('video')].every((v) => v.readyState >= 2 && !v.paused),
      );
      const tabId = await tabIdOf(`${server.url}fixtures/unreadable.html`);
      await until(
        'both videos reported unreadable',
        async () => (await tabState(tabId)).unreadable === 2,
        60_000,
      );
      const popup = await openPopup(tabId);
      await expect
        .poll(() => popup.getByTestId('unreadable').innerText())
        .toMatch(/2 videos are skipped: the (page does not allow reading this video|video shows only black)/);
      await popup.close();
      await page.close();
      expect(errors).toEqual([]);
    },
  );

  it('says so in the popup when a page has no video', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}fixtures/no-video.html`);
    const popup = await openPopup(await tabIdOf(`${server.url}fixtures/no-video.html`));
    await expect.poll(() => popup.getByTestId('video-count').textContent()).toMatch(/No video on this page/);
    expect(await popup.getByTestId('video-count').getAttribute('data-videos')).toBe('0');
    await popup.close();
    await page.close();
  });

  it('says so in the popup when the page cannot be scripted', async () => {
    const before = await worker.evaluate(async () => (await chrome.tabs.query({})).map((t) => t.id));
    const page = await context.newPage();
    await page.goto('chrome://version');
    // without the tabs permission a chrome:// tab's URL is hidden: find the tab that is new
    const tabId = await worker.evaluate(
      async (known) => (await chrome.tabs.query({})).find((t) => !known.includes(t.id))?.id ?? -1,
      before,
    );
    const popup = await openPopup(tabId);
    await expect.poll(() => popup.getByTestId('unscriptable').textContent()).toMatch(/browser page/);
    await popup.close();
    await page.close();
  });
});

async function readSessions(page: Page): Promise<StoredSession[]> {
  return page.evaluate(storedSessions);
}

describe('Chromium: sessions, timelines and export', () => {
  const ARTIFACTS = resolve(import.meta.dirname, '../../artifacts/test');
  let demo: Page;
  let reader: Page;
  let tabId: number;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // the first-run notice is acknowledged once, as a user would
    await worker.evaluate(() => chrome.storage.local.set({ noticeAcknowledged: 1 }));
    demo = await context.newPage();
    await demo.goto(`${server.url}?sessions`);
    await demo.waitForSelector('body[data-ready="true"]');
    tabId = await tabIdOf(`${server.url}?sessions`);
    reader = await context.newPage();
    await reader.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=999999`);
  });

  /** The session running in a tab, as stored. */
  const sessionOfTab = async (id: number) => {
    let sessionId: string | undefined;
    try {
      sessionId = await worker.evaluate(
        async (t) =>
          ((await chrome.storage.session.get(`tab:${t}`))[`tab:${t}`] as { sessionId?: string } | undefined)
            ?.sessionId,
        id,
      );
    } catch {
      // the worker was stopped (a test below does it): ask the one that replaced it next time
      worker = context.serviceWorkers().find((w) => w !== worker) ?? worker;
      return undefined;
    }
    return (await readSessions(reader)).find((s) => s.id === sessionId);
  };
  const tabSession = () => sessionOfTab(tabId);

  it(
    'records every participant of the demo call, and loses nothing when the service worker is stopped',
    { timeout: 120_000 },
    async () => {
      await demo.bringToFront();
      await until(
        'samples for every tile',
        async () => Object.keys((await tabSession())?.counts ?? {}).length >= 8,
        60_000,
      );
      const before = await tabSession();
      if (!before) throw new Error('no session');
      expect(before.title).toBe(await demo.title());

      const cdp = await context.newCDPSession(demo);
      const { targetInfos } = (await cdp.send('Target.getTargets')) as {
        targetInfos: { type: string; url: string; targetId: string }[];
      };
      const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.includes(extensionId));
      if (!sw) throw new Error('the extension service worker is not among the targets');
      await cdp.send('Target.closeTarget', { targetId: sw.targetId });
      await cdp.detach();

      // recording goes on in the same session once the worker is back
      await until(
        'samples after the restart',
        async () => ((await tabSession())?.samples ?? 0) > before.samples + 30,
        60_000,
      );
      worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
      const after = await tabSession();
      expect(after?.id).toBe(before.id);
      for (const [id, n] of Object.entries(before.counts))
        expect(after?.counts[id] ?? 0).toBeGreaterThanOrEqual(n);
      // the meta's count and the chunks agree: no write was half done
      expect(Object.values(after?.counts ?? {}).reduce((a, b) => a + b, 0)).toBe(after?.samples);
      // names come from the page's tiles
      expect(Object.values(after?.names ?? {})).toEqual(
        expect.arrayContaining(['Albert Einstein', 'Marie Curie']),
      );
    },
  );

  it(
    'keeps one participant per tile when a second face enters a tile, the person steps away for longer than the tracker remembers, and comes back',
    { timeout: 120_000 },
    async () => {
      const url = `${server.url}?tiles=1&visitor`;
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForSelector('body[data-ready="true"]');
      await page.bringToFront();
      const id = await tabIdOf(url);
      const session = async () => {
        const s = await sessionOfTab(id);
        const ids = Object.keys(s?.counts ?? {});
        return { s, tile: ids.filter((p) => !p.includes('/')), subs: ids.filter((p) => p.includes('/')) };
      };
      /** Waits for `check`; a timeout says what the session held. */
      const waitFor = (what: string, check: () => Promise<boolean>, timeout = 30_000) =>
        until(what, check, timeout).catch(async (error: unknown) => {
          const { s } = await session();
          throw new Error(
            `${String(error)}; the session: ${JSON.stringify(s && { counts: s.counts, names: s.names })}`,
          );
        });
      const tileSamples = async () => {
        const { s, tile } = await session();
        return tile.length === 1 ? (s?.counts[tile[0] as string] ?? 0) : 0;
      };
      await waitFor('samples of the tile', async () => (await tileSamples()) >= 3, 60_000);
      await page.click('#visitor');
      await waitFor('samples of the second face', async () => (await session()).subs.length > 0);
      // the person steps away: the second face alone, for longer than the hold (5 s) and the tracker (2 s)
      await page.click('#step-away');
      const away = Date.now();
      await waitFor('the second face alone', async () => ((await session()).s?.lastT ?? 0) > away + 1500);
      const before = await tileSamples();
      await waitFor(
        '6 s of the second face alone',
        async () => ((await session()).s?.lastT ?? 0) > away + 7500,
      );
      // the second face was never recorded as the tile's participant
      expect(await tileSamples()).toBe(before);
      await page.click('#step-away');
      await waitFor('the person back as the tile', async () => (await tileSamples()) >= before + 3);
      await page.click('#visitor');
      const back = await tileSamples();
      await waitFor('the person alone', async () => (await tileSamples()) >= back + 3);
      const { s, tile, subs } = await session();
      // the person is one timeline (the tile); the second face only ever a sub-participant of it (one,
      // or more when frames came too slowly for the tracker to keep its track: never the tile)
      expect(tile).toHaveLength(1);
      expect(subs.length).toBeGreaterThanOrEqual(1);
      for (const sub of subs) {
        expect(sub.startsWith(`${tile[0] as string}/`)).toBe(true);
        expect(s?.names[sub]).toBe('Marie Curie (another face)');
      }
      expect(s?.names[tile[0] as string]).toBe('Marie Curie');
      await page.close();
    },
  );

  it(
    'samples a video only when it presents a new frame (requestVideoFrameCallback): a frozen stream is not re-analysed',
    {
      timeout: 90_000,
    },
    async () => {
      const page = await context.newPage();
      const opened = Date.now();
      await page.goto(`${server.url}fixtures/frozen.html`);
      await page.bringToFront();
      await page.waitForFunction(() =>
        [...document.querySelectorAll('video')].every((v) => v.readyState >= 2),
      );
      const id = await tabIdOf(`${server.url}fixtures/frozen.html`);
      const sessionOf = () => sessionOfTab(id);
      const countOf = (s: StoredSession | undefined, name: string) =>
        Object.entries(s?.names ?? {}).reduce(
          (n, [pid, nm]) => (nm === name ? n + (s?.counts[pid] ?? 0) : n),
          0,
        );
      await until(
        'ten samples of the moving video',
        async () => countOf(await sessionOf(), 'Moving') >= 10,
        60_000,
      );
      const s = await sessionOf();
      // the frozen one is analysed once, then looked at again only every 10 s
      const elapsed = Date.now() - opened;
      expect(countOf(s, 'Frozen')).toBeGreaterThanOrEqual(1);
      expect(countOf(s, 'Frozen')).toBeLessThanOrEqual(2 + Math.ceil(elapsed / 10_000));
      await page.close();
    },
  );

  /** The portal page (tests/fixtures/embedded-call.html) with the demo call at `src` in an iframe. */
  const openEmbedded = async (src: string, later = false) => {
    const url = `${server.url}fixtures/embedded-call.html?src=${encodeURIComponent(src)}${later ? '&later' : ''}`;
    const page = await context.newPage();
    await page.goto(url);
    return { page, tabId: await tabIdOf(url) };
  };
  /** The call's frame, once the demo in it is ready. */
  const callFrame = async (page: Page) => {
    const find = () => page.frames().find((f) => f !== page.mainFrame() && f.url().includes('tiles='));
    await until('the call in its frame', () => Promise.resolve(find() !== undefined));
    const frame = find() as Frame;
    await frame.waitForSelector('body[data-ready="true"]');
    return frame;
  };
  /** Waits until the tab's session has samples of `tiles` participants (frame-named tiles), and returns it. */
  const embeddedSession = async (tabId: number, tiles: number) => {
    await until(
      `samples of ${tiles} tiles of the embedded call`,
      async () => Object.keys((await sessionOfTab(tabId))?.counts ?? {}).length >= tiles,
      100_000,
    );
    return (await sessionOfTab(tabId)) as StoredSession;
  };

  it.each([
    ['a frame of the same origin', () => '/?tiles=3'],
    [
      'a frame of another origin (the call host)',
      () => server.url.replace('localhost', '127.0.0.1') + '?tiles=3',
    ],
  ])(
    'analyses a call embedded in %s: labels drawn in the frame, one session of the tab with each tile',
    { timeout: 150_000 },
    async (_where, src) => {
      const { page, tabId } = await openEmbedded(src());
      const frame = await callFrame(page);
      await frame.waitForFunction(
        `(${snapshotFaces.toString()})().some((l) => l.faces.length > 0)`,
        undefined,
        {
          polling: 500,
          timeout: 100_000,
        },
      );
      // the top page draws nothing: the layers are in the frame that holds the videos
      expect(await page.evaluate(snapshotFaces)).toEqual([]);
      const session = await embeddedSession(tabId, 3);
      // one session, named after the tab's page; every tile of the frame is a participant of it
      expect(session.title).toBe('Team portal with an embedded call');
      const tiles = Object.keys(session.counts).filter((id) => !id.includes('/'));
      expect(tiles).toHaveLength(3);
      for (const id of tiles) expect(id).toMatch(/^f[0-9a-f]{8}-v\d+$/);
      expect(Object.values(session.names)).toEqual(
        expect.arrayContaining(['Marie Curie', 'Albert Einstein', 'Max Planck']),
      );
      // the popup counts the frame's videos for the tab
      const popup = await openPopup(tabId);
      await expect.poll(() => popup.getByTestId('video-count').getAttribute('data-videos')).toBe('3');
      await popup.close();
      await page.close();
    },
  );

  it(
    'analyses a call whose frame loads after analysis was switched on, on a page that does not start by itself',
    { timeout: 150_000 },
    async () => {
      await withoutAutoStartSites(async () => {
        const { page, tabId } = await openEmbedded(
          server.url.replace('localhost', '127.0.0.1') + '?tiles=2',
          true,
        );
        const popup = await openPopup(tabId);
        const toggle = popup.getByTestId('enable-switch');
        await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
        await toggle.click();
        await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
        await popup.close();
        await page.bringToFront();
        await page.click('#add-call');
        const frame = await callFrame(page);
        await frame.waitForFunction(
          `(${snapshotFaces.toString()})().some((l) => l.faces.length > 0)`,
          undefined,
          { polling: 500, timeout: 100_000 },
        );
        const session = await embeddedSession(tabId, 2);
        expect(Object.keys(session.counts).filter((id) => !id.includes('/'))).toHaveLength(2);
        await page.close();
      });
    },
  );

  it(
    'starts in a tab that was already open when its site is added to the auto-start sites',
    { timeout: 150_000 },
    async () => {
      await withoutAutoStartSites(async () => {
        const page = await context.newPage();
        await page.goto(`${server.url}?tiles=2`);
        await page.waitForSelector('body[data-ready="true"]');
        expect(await page.evaluate(snapshotFaces)).toEqual([]);
        // the user adds the site (its host access is granted already)
        await worker.evaluate(() => chrome.storage.local.set({ autoStart: ['http://localhost/*'] }));
        await page.waitForFunction(
          `(${snapshotFaces.toString()})().some((l) => l.faces.length > 0)`,
          undefined,
          { polling: 500, timeout: 100_000 },
        );
        await page.close();
      });
    },
  );

  it(
    'keeps each participant when the page re-creates every video of the call (same id, same name, one timeline)',
    { timeout: 150_000 },
    async () => {
      const url = `${server.url}?tiles=3&recreated`;
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForSelector('body[data-ready="true"]');
      const id = await tabIdOf(url);
      const tiles = async () => {
        const s = await sessionOfTab(id);
        return Object.fromEntries(Object.entries(s?.counts ?? {}).filter(([p]) => !p.includes('/')));
      };
      await until('samples of the three tiles', async () => Object.keys(await tiles()).length === 3, 100_000);
      const before = await tiles();
      const names = (await sessionOfTab(id))?.names ?? {};
      // the client re-renders its grid: each <video> replaced by a new element playing the same stream
      await page.evaluate(recreateVideos);
      await until(
        'new samples of every tile after the re-render',
        async () => {
          const now = await tiles();
          return Object.keys(before).every((p) => (now[p] ?? 0) >= (before[p] ?? 0) + 3);
        },
        60_000,
      );
      const after = await sessionOfTab(id);
      expect(Object.keys(await tiles()).sort()).toEqual(Object.keys(before).sort());
      for (const p of Object.keys(before)) expect(after?.names[p]).toBe(names[p]);
      await page.close();
    },
  );

  it(
    'keeps analysing in the same session through a single-page app’s route changes (history.pushState)',
    { timeout: 240_000 },
    async () => {
      await demo.bringToFront();
      const state = () =>
        worker.evaluate(
          async (t) =>
            ((await chrome.storage.session.get(`tab:${t}`))[`tab:${t}`] ?? {}) as {
              enabled?: boolean;
              url?: string;
              sessionId?: string;
            },
          tabId,
        );
      // the engine may still be starting (the tests above need not have run)
      await until('samples of the call', async () => ((await tabSession())?.samples ?? 0) > 0, 100_000);
      const before = await tabSession();
      if (!before) throw new Error('no session');
      // route changes in quick succession, each racing the page's own report of its new URL
      const route = await demo.evaluate(() => {
        for (const to of ['room', 'room/abc-defg-hij', 'room/abc-defg-hij?sessions#chat'])
          history.pushState({}, '', to);
        return location.href;
      });
      await until('the tab state at the new route', async () => (await state()).url === route);
      // the browser's own reports of the URL changes (tabs.onUpdated) have come in too
      await until('the tab at the new route', async () =>
        worker.evaluate(async (t) => (await chrome.tabs.get(t)).url, tabId).then((url) => url === route),
      );
      await until(
        'samples after the route changes',
        async () => ((await tabSession())?.samples ?? 0) > before.samples + 10,
        60_000,
      );
      expect(await state()).toMatchObject({ enabled: true, url: route, sessionId: before.id });
      expect((await tabSession())?.endedAt).toBeUndefined();
      // the page keeps its labelled faces
      await demo.waitForFunction(
        `(${snapshotFaces.toString()})().some((l) => l.faces.length > 0)`,
        undefined,
        { polling: 500, timeout: 30_000 },
      );
    },
  );

  it(
    'ends the session when the tab moves to another origin, and starts a new one there',
    { timeout: 240_000 },
    async () => {
      const url = `${server.url}?tiles=2`;
      const page = await context.newPage();
      await page.goto(url);
      const id = await tabIdOf(url);
      await until('samples of the call', async () => ((await sessionOfTab(id))?.samples ?? 0) > 0, 100_000);
      const first = await sessionOfTab(id);
      if (!first) throw new Error('no session');
      // the same call on another origin (127.0.0.1 for localhost; both start by themselves here)
      const elsewhere = url.replace('localhost', '127.0.0.1');
      await page.goto(elsewhere);
      await until(
        'the first session ended',
        async () => (await readSessions(reader)).find((s) => s.id === first.id)?.endedAt !== undefined,
      );
      await until('samples of a new session there', async () => {
        const s = await sessionOfTab(id);
        return s !== undefined && s.id !== first.id && s.samples > 0;
      });
      const tabUrl = await worker.evaluate(
        async (t) => ((await chrome.storage.session.get(`tab:${t}`))[`tab:${t}`] as { url?: string }).url,
        id,
      );
      expect(tabUrl).toBe(elsewhere);
      await page.close();
    },
  );

  it(
    'shows one timeline per participant in the side panel, and exports CSV from the popup that matches the store',
    { timeout: 120_000 },
    async () => {
      // about 20 seconds of the call in all
      await demo.bringToFront();
      await until(
        '20 seconds of the call',
        async () => {
          const s = await tabSession();
          return s !== undefined && s.lastT - s.startedAt >= 20_000;
        },
        60_000,
      );
      const running = await tabSession();
      const popup = await openPopup(tabId);
      await popup.getByTestId('enable-switch').click(); // analysis off: the session ends
      await expect.poll(() => popup.getByTestId('enable-switch').getAttribute('aria-checked')).toBe('false');
      // the switch may show "off" (the popup watches the tab state) a moment before the session is ended
      await until(
        'the session to end',
        async () => (await readSessions(reader)).find((s) => s.id === running?.id)?.endedAt !== undefined,
        15_000,
      );
      const session = (await readSessions(reader)).find((s) => s.id === running?.id);
      if (session?.endedAt === undefined) throw new Error('the session did not end');
      // frames still on their way when analysis went off neither start a session nor add samples:
      // watched for 1.5 s, longer than a frame takes from the page to the store
      await throughout(
        'no new session and no new samples after analysis went off',
        async () =>
          (await tabSession()) === undefined &&
          (await readSessions(reader)).find((s) => s.id === session.id)?.samples === session.samples,
        1500,
      );
      // the side panel of the tab shows the ended session: a timeline per participant, every sample
      const panel = await context.newPage();
      await panel.goto(`chrome-extension://${extensionId}/src/sidepanel/index.html?tab=${tabId}`);
      const timelines = panel.getByTestId('timeline');
      await until(
        'the timelines',
        async () => (await timelines.count()) === Object.keys(session.counts).length,
      );
      for (const [id, n] of Object.entries(session.counts))
        expect(
          await panel
            .locator(`[data-testid="timeline"][data-participant="${id}"]`)
            .getAttribute('data-points'),
        ).toBe(String(n));
      expect(await panel.getByTestId('call-mood').innerText()).toMatch(
        /Mood of the call: (positive|negative|neutral)/,
      );
      await panel.screenshot({ path: join(ARTIFACTS, 'side-panel.png'), fullPage: true });
      await panel.close();
      await popup.reload();

      const [download] = await Promise.all([
        popup.waitForEvent('download'),
        popup.getByTestId('export-csv').click(),
      ]);
      const csv = readFileSync(await download.path(), 'utf8');
      const { timelines: exported, names } = parseSessionCsv(csv);
      expect(Object.fromEntries(exported.map((t) => [t.participantId, t.t.length]))).toEqual(session.counts);
      for (const tl of exported) {
        expect(names.get(tl.participantId)).toBe(session.names[tl.participantId]);
        const first = session.first[tl.participantId];
        expect(tl.t[0]).toBe(first?.t);
        tl.p[0]?.forEach((v, k) => expect(v).toBeCloseTo(first?.p[k] ?? NaN, 5));
      }

      const report = await context.newPage();
      await report.goto(`chrome-extension://${extensionId}/src/report/index.html?session=${session.id}`);
      await until(
        'the report timelines',
        async () => (await report.getByTestId('timeline').count()) === exported.length,
      );
      await report.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
      await report.close();
      await popup.close();
    },
  );
});

sidePanelTests(() => ({ context, worker, server, extensionId }));
