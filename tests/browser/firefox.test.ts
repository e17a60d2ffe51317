/**
 * The built extension (dist/dev/firefox) in Firefox ESR, driven by puppeteer-core over WebDriver
 * BiDi, with a display (scripts/with-display.mjs runs it under xvfb-run where there is none).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../scripts/serve.ts';
import {
  FACE_BOX_ERRORS,
  type FaceBoxError,
  PLACEMENT_LAYOUTS,
  overlaysMatch,
  recreateVideos,
  snapshotFaces,
  snapshotOverlay,
  worstPictureError,
  type OverlaySnapshot,
} from './page-probes.ts';
import { expectFacesPlaced, expectPlausibleLabels } from './expectations.ts';
import { storedSessions, type StoredSession } from './stored-sessions.ts';
import { throughout, until } from './wait.ts';
import { sidebarTests } from './side-panel.firefox.ts';

const EXTENSION = resolve(import.meta.dirname, '../../dist/dev/firefox');
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** A fixed moz-extension:// host for the add-on, so the tests can open its pages. */
const UUID = '3f0b1c9e-6d4a-4b8e-9a51-0c7d2e5f8a13';

let server: RunningServer;
let browser: Browser;
const cleanups: (() => Promise<void> | void)[] = [];

interface PopupHandle {
  page: Page;
  switchState: () => Promise<string | null>;
  text: () => Promise<string>;
}

/**
 * Waits (re-measuring on every animation frame) until the page's overlay satisfies `predicate`,
 * which gets the snapshot and overlaysMatch (both run inside the page).
 */
async function overlayWhen(
  page: Page,
  predicate: (s: OverlaySnapshot, match: typeof overlaysMatch) => boolean,
): Promise<OverlaySnapshot> {
  await page.waitForFunction(
    `(${predicate.toString()})((${snapshotOverlay.toString()})(), ${overlaysMatch.toString()})`,
    {
      polling: 'raf',
      timeout: 20_000,
    },
  );
  return page.evaluate(snapshotOverlay);
}

/** Opens an extension page in a tab. Puppeteer does not see moz-extension:// loads finish, so wait on the page. */
async function openExtensionPage(path: string): Promise<Page> {
  const page = await browser.newPage();
  const url = `moz-extension://${UUID}/${path}`;
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 2_000 }).catch(() => undefined);
  await until(`${url} to load`, async () =>
    page
      .evaluate(() => document.readyState === 'complete' && location.protocol === 'moz-extension:')
      .catch(() => false),
  );
  return page;
}

async function tabIdOf(page: Page, urlPrefix: string): Promise<number> {
  return page.evaluate(async (prefix) => {
    const api = (globalThis as unknown as { browser: typeof chrome }).browser;
    const tab = (await api.tabs.query({})).find((t) => t.url?.startsWith(prefix));
    if (tab?.id === undefined) throw new Error(`no tab at ${prefix}`);
    return tab.id;
  }, urlPrefix);
}

async function openPopupFor(urlPrefix: string): Promise<PopupHandle> {
  const probe = await openExtensionPage('src/popup/index.html?tabId=-1');
  const tabId = await tabIdOf(probe, urlPrefix);
  await probe.close();
  const page = await openExtensionPage(`src/popup/index.html?tabId=${tabId}`);
  return {
    page,
    switchState: () =>
      page.evaluate(
        () => document.querySelector('[data-testid="enable-switch"]')?.getAttribute('aria-checked') ?? null,
      ),
    text: () => page.evaluate(() => document.body.innerText),
  };
}

beforeAll(async () => {
  if (!existsSync(join(EXTENSION, 'manifest.json')))
    throw new Error('dist/dev/firefox is missing: run npm run build');
  if (!existsSync(FIREFOX))
    throw new Error(`Firefox not found at ${FIREFOX}: install firefox-esr or set FIREFOX_PATH`);
  const geckoId = (
    JSON.parse(readFileSync(join(EXTENSION, 'manifest.json'), 'utf8')) as {
      browser_specific_settings: { gecko: { id: string } };
    }
  ).browser_specific_settings.gecko.id;
  server = await startServer(0);
  cleanups.push(() => server.close());
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: false,
    // Firefox 153 lets WebDriver open moz-extension:// pages only with system access.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: UUID }) },
    defaultViewport: { width: 1280, height: 900 },
  });
  cleanups.push(() => browser.close());
  const installed = await browser.installExtension(EXTENSION);
  expect(installed).toBe(geckoId);
});

afterAll(async () => {
  for (const undo of cleanups.reverse()) await undo();
});

describe('Firefox: background', () => {
  it('runs the event page, which hosts the engine itself (no offscreen API)', async () => {
    const page = await openExtensionPage('src/popup/index.html?tabId=-1');
    const reply: unknown = await page.evaluate(() =>
      (globalThis as unknown as { browser: typeof chrome }).browser.runtime.sendMessage({
        moodlens: 1,
        type: 'popup>bg:pingEngine',
        payload: {},
      }),
    );
    expect(reply).toMatchObject({ ok: true, value: { host: 'background' } });
    const manifest = await page.evaluate(() =>
      (globalThis as unknown as { browser: typeof chrome }).browser.runtime.getManifest(),
    );
    expect(manifest.background).toMatchObject({ scripts: [expect.any(String)] });
    expect(manifest.permissions).not.toContain('offscreen');
    await page.close();
  });
});

describe('Firefox: engine', () => {
  it(
    'starts the engine in the background page: packaged model, a probed back end',
    { timeout: 120_000 },
    async () => {
      const page = await openExtensionPage('src/popup/index.html?tabId=-1');
      const status = (await page.evaluate(() =>
        (globalThis as unknown as { browser: typeof chrome }).browser.runtime.sendMessage({
          moodlens: 1,
          type: 'popup>bg:engineStatus',
          payload: { start: true },
        }),
      )) as {
        ok: boolean;
        value?: {
          state: string;
          backend?: string;
          detector?: string;
          model?: { params: number };
          error?: string;
        };
      };
      expect(status.ok).toBe(true);
      expect(status.value?.error).toBeUndefined();
      expect(status.value?.state).toBe('ready');
      expect(['webgpu', 'webgl', 'wasm']).toContain(status.value?.backend);
      expect(status.value?.model?.params).toBeGreaterThan(1_000_000);
      expect(status.value?.detector).toMatch(/mediapipe-blazeface/);
      await page.close();
    },
  );
});

describe('Firefox: the demo meeting', () => {
  let demo: Page;

  beforeAll(async () => {
    demo = await browser.newPage();
    await demo.goto(server.url);
    await demo.waitForSelector('body[data-ready="true"]');
  });

  it('finds every tile and keeps a layer over each video within 2 px', async () => {
    const snap = await overlayWhen(demo, (s) => s.videos.length === 9 && s.layers.length === 9);
    expect(overlaysMatch(snap, 2)).toBe(true);
    expect(worstPictureError(snap)).toBeLessThanOrEqual(2);
    expect(snap.pointerEvents).toBe('none');
  });

  it(
    'sends frames through the engine and labels every participant’s face',
    { timeout: 120_000 },
    async () => {
      await demo.bringToFront();
      await demo.waitForFunction(
        `(${snapshotFaces.toString()})().filter((l) => l.faces.length > 0).length >= 8`,
        { polling: 500, timeout: 100_000 },
      );
      expectPlausibleLabels(await demo.evaluate(snapshotFaces));
    },
  );

  it(
    'stops sampling while its tab is hidden, and starts again when it is shown',
    { timeout: 60_000 },
    async () => {
      // each sampled frame is a 'moodlens:frame' measure in the page's timeline (development builds)
      const sampledSince = (t: number) =>
        demo.evaluate(
          (since) => performance.getEntriesByName('moodlens:frame').filter((e) => e.startTime > since).length,
          t,
        );
      expect(await sampledSince(0)).toBeGreaterThan(0);
      const other = await browser.newPage();
      await until('the demo tab to be hidden', async () =>
        demo.evaluate(() => document.visibilityState === 'hidden'),
      );
      const hiddenAt = await demo.evaluate(() => performance.now());
      // nothing to wait for when nothing should happen: the sampler's timer keeps firing in a hidden
      // tab, throttled to about once a second, so 5 s gives it several chances to send a frame
      await throughout(
        'no sampling while hidden',
        async () => (await sampledSince(hiddenAt)) === 0,
        5000,
        250,
      );
      await other.close();
      await demo.bringToFront();
      const shownAt = await demo.evaluate(() => performance.now());
      await until('sampling to start again', async () => (await sampledSince(shownAt)) > 0, 30_000);
    },
  );

  it('follows a resize and a scroll', async () => {
    await demo.setViewport({ width: 700, height: 600 });
    let snap = await overlayWhen(demo, (s, match) => s.videos.every((v) => v.box.width < 400) && match(s, 2));
    const before = snap.videos[0]?.box.y ?? 0;
    await demo.evaluate(() => window.scrollBy(0, 300));
    snap = await overlayWhen(demo, (s, match) => s.videos.some((v) => v.box.y < 0) && match(s, 2));
    expect(snap.videos[0]?.box.y).toBeLessThan(before);
    await demo.setViewport({ width: 1280, height: 900 });
    await demo.evaluate(() => window.scrollTo(0, 0));
    await overlayWhen(demo, (s, match) => s.videos.every((v) => v.box.width > 300) && match(s, 2));
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
    const popup = await openPopupFor(server.url);
    await until('the switch to show on', async () => (await popup.switchState()) === 'true');
    expect(await popup.text()).toMatch(/8 videos found/);
    await popup.page.click('[data-testid="enable-switch"]');
    await until('the switch to show off', async () => (await popup.switchState()) === 'false');
    await demo.bringToFront();
    await demo.waitForFunction(() => !document.querySelector('[data-moodlens-overlay]'), { timeout: 20_000 });
    await popup.page.bringToFront();
    await popup.page.click('[data-testid="enable-switch"]');
    await until('the switch to show on again', async () => (await popup.switchState()) === 'true');
    await demo.bringToFront();
    await overlayWhen(demo, (s) => s.layers.length === 8);
    await popup.page.close();
  });
  it(
    'records the call: the sidebar page shows a row per participant, the report page a timeline each',
    { timeout: 120_000 },
    async () => {
      const probe = await openExtensionPage('src/popup/index.html?tabId=-1');
      await probe.evaluate(() =>
        (globalThis as unknown as { browser: typeof chrome }).browser.storage.local.set({
          noticeAcknowledged: 1,
        }),
      );
      await probe.close();
      await demo.bringToFront();
      await demo.waitForFunction(
        `(${snapshotFaces.toString()})().filter((l) => l.faces.length > 0).length >= 8`,
        { polling: 500, timeout: 100_000 },
      );
      // the sidebar page of the tab: a live row per participant of the running session
      const probe2 = await openExtensionPage('src/popup/index.html?tabId=-1');
      const tabId = await tabIdOf(probe2, server.url);
      await probe2.close();
      const panel = await openExtensionPage(`src/sidepanel/index.html?tab=${tabId}`);
      await until(
        'a live row per participant',
        async () =>
          (await panel.evaluate(() => document.querySelectorAll('[data-testid="live-row"]').length)) >= 8,
        30_000,
      );
      await panel.close();

      const report = await openExtensionPage('src/report/index.html');
      await until('the history', async () =>
        report.evaluate(() => document.querySelectorAll('[data-testid="history-row"]').length > 0),
      );
      await report.evaluate(() =>
        document.querySelector<HTMLButtonElement>('[data-testid="history-row"] button')?.click(),
      );
      await until('the report timelines', async () =>
        report.evaluate(() => document.querySelectorAll('[data-testid="timeline"]').length >= 8),
      );
      await report.close();
    },
  );
});

describe('Firefox: face boxes on the faces', () => {
  for (const layout of PLACEMENT_LAYOUTS) {
    it(
      `draws each face's labelled box within 8 px of the face: ${layout.name}`,
      { timeout: 150_000 },
      async () => {
        const page = await browser.newPage();
        await page.goto(`${server.url}${layout.query}`);
        await page.waitForSelector('body[data-ready="true"]');
        await expectFacesPlaced(
          () => page.evaluate(FACE_BOX_ERRORS) as Promise<FaceBoxError[]>,
          4,
          8,
          130_000,
        );
        expectPlausibleLabels(await page.evaluate(snapshotFaces));
        await page.close();
      },
    );
  }
});

describe('Firefox: a call embedded in a frame', () => {
  it.each([
    ['a frame of the same origin', () => '/?tiles=3'],
    [
      'a frame of another origin (the call host)',
      () => server.url.replace('localhost', '127.0.0.1') + '?tiles=3',
    ],
  ])(
    'analyses a call in %s: labels drawn in the frame, one session of the tab with each tile',
    { timeout: 150_000 },
    async (_where, src) => {
      const probe = await openExtensionPage('src/popup/index.html?tabId=-1');
      await probe.evaluate(() =>
        (globalThis as unknown as { browser: typeof chrome }).browser.storage.local.set({
          noticeAcknowledged: 1,
        }),
      );
      await probe.close();
      const portal = `${server.url}fixtures/embedded-call.html?src=${encodeURIComponent(src())}`;
      const page = await browser.newPage();
      await page.goto(portal);
      const find = () => page.frames().find((f) => f !== page.mainFrame() && f.url().includes('tiles='));
      await until('the call in its frame', () => Promise.resolve(find() !== undefined));
      const frame = find() as Frame;
      await frame.waitForSelector('body[data-ready="true"]');
      await frame.waitForFunction(`(${snapshotFaces.toString()})().some((l) => l.faces.length > 0)`, {
        polling: 500,
        timeout: 100_000,
      });
      // the top page draws nothing: the layers are in the frame that holds the videos
      expect(await page.evaluate(snapshotFaces)).toEqual([]);
      // one session of the tab, with each tile of the frame; the tab's state counts the frame's videos
      const reader = await openExtensionPage('src/popup/index.html?tabId=-1');
      const tabId = await tabIdOf(reader, portal);
      // the call's tab in front again: a hidden tab is not sampled
      await page.bringToFront();
      const tabState = () =>
        reader.evaluate(async (id) => {
          const api = (globalThis as unknown as { browser: typeof chrome }).browser;
          return (await api.storage.session.get(`tab:${id}`))[`tab:${id}`] as {
            sessionId?: string;
            frames?: Record<string, { videos: number }>;
          };
        }, tabId);
      const session = async () => {
        const { sessionId } = await tabState();
        return (await reader.evaluate(storedSessions)).find((s) => s.id === sessionId);
      };
      await until(
        'samples of each tile of the frame',
        async () =>
          Object.keys((await session())?.counts ?? {}).filter((id) => !id.includes('/')).length >= 3,
        60_000,
      );
      const stored = (await session()) as StoredSession;
      expect(stored.title).toBe('Team portal with an embedded call');
      const tiles = Object.keys(stored.counts).filter((id) => !id.includes('/'));
      expect(tiles).toHaveLength(3);
      for (const id of tiles) expect(id).toMatch(/^f[0-9a-f]{8}-v\d+$/);
      expect(Object.values((await tabState()).frames ?? {}).map((f) => f.videos)).toEqual([3]);
      await reader.close();
      await page.close();
    },
  );
});

describe('Firefox: a page that re-creates its videos', () => {
  it(
    'keeps each participant when the page re-creates every video of the call (same id, same name, one timeline)',
    { timeout: 150_000 },
    async () => {
      const url = `${server.url}?tiles=3&recreated`;
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForSelector('body[data-ready="true"]');
      const reader = await openExtensionPage('src/popup/index.html?tabId=-1');
      const tabId = await tabIdOf(reader, url);
      // the call's tab in front again: a hidden tab is not sampled
      await page.bringToFront();
      const session = async () => {
        const sessionId = await reader.evaluate(async (id) => {
          const api = (globalThis as unknown as { browser: typeof chrome }).browser;
          return (
            (await api.storage.session.get(`tab:${id}`))[`tab:${id}`] as { sessionId?: string } | undefined
          )?.sessionId;
        }, tabId);
        return (await reader.evaluate(storedSessions)).find((s) => s.id === sessionId);
      };
      const tiles = async () =>
        Object.fromEntries(Object.entries((await session())?.counts ?? {}).filter(([p]) => !p.includes('/')));
      await until('samples of the three tiles', async () => Object.keys(await tiles()).length === 3, 100_000);
      const before = await tiles();
      const names = (await session())?.names ?? {};
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
      expect(Object.keys(await tiles()).sort()).toEqual(Object.keys(before).sort());
      const after = await session();
      for (const p of Object.keys(before)) expect(after?.names[p]).toBe(names[p]);
      await reader.close();
      await page.close();
    },
  );
});

describe('Firefox: other pages', () => {
  it('measures object-fit contain with borders and padding, skips tiny and hidden videos, finds a shadow-root video', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}fixtures/shapes.html`);
    await page.waitForSelector('body[data-ready="true"]');
    const snap = await overlayWhen(page, (s) => s.layers.length === 3 && s.videos.length === 3);
    expect(snap.videos.map((v) => v.id).sort()).toEqual(['contain', 'cover', 'in-shadow']);
    expect(overlaysMatch(snap, 2)).toBe(true);
    expect(worstPictureError(snap)).toBeLessThanOrEqual(2);
    await page.close();
  });

  it('says so in the popup when a page has no video', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}fixtures/no-video.html`);
    const popup = await openPopupFor(`${server.url}fixtures/no-video.html`);
    await until('the no-video message', async () => /No video on this page/.test(await popup.text()));
    await popup.page.close();
    await page.close();
  });
});

sidebarTests(() => ({ browser, server, openExtensionPage, tabIdOf }));
