/**
 * `npm run screenshots`: the README's pictures, from the demo call in Chromium with the development
 * build (dist/dev/chrome): the call with its overlays, the popup, the side panel, and the report of
 * the session once it ends. Writes docs/images/{call.jpg,popup.png,side-panel.png,report.png}.
 *
 * Options: --out DIR (default docs/images), --tiles N (default 6), --seconds S of the call before
 * the pictures (default 30).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { autoStartRegistered } from './auto-start.ts';
import { findChrome, QUIET_CHROMIUM_FLAGS } from './find-chrome.ts';
import { startServer } from './serve.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: resolve(import.meta.dirname, '../docs/images') },
    tiles: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '30' },
  },
});
const out = resolve(values.out);
const tiles = Number(values.tiles);
const seconds = Number(values.seconds);
mkdirSync(out, { recursive: true });

const extension = resolve(import.meta.dirname, '../dist/dev/chrome');
const server = await startServer(0);
const profile = mkdtempSync(join(tmpdir(), 'moodlens-screenshots-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROME_PATH ?? findChrome(),
  headless: true,
  args: [
    `--disable-extensions-except=${extension}`,
    `--load-extension=${extension}`,
    ...QUIET_CHROMIUM_FLAGS,
  ],
  ignoreDefaultArgs: ['--disable-extensions'],
  viewport: { width: 1280, height: 760 },
});

/** Polls `check` (in this script) until it holds, or fails naming `what`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const count = (page: Page, testId: string) => page.getByTestId(testId).count();

try {
  await autoStartRegistered(context);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const page = (id: string) => `chrome-extension://${extensionId}/src/${id}`;
  const url = `${server.url}?tiles=${tiles}`;
  const call = context.pages()[0] ?? (await context.newPage());
  await call.goto(url);
  const tabId = await worker.evaluate(async (u) => {
    const tab = (await chrome.tabs.query({})).find((t) => t.url === u);
    if (tab?.id === undefined) throw new Error(`no tab at ${u}`);
    return tab.id;
  }, url);
  const sessionOf = () =>
    worker.evaluate(
      async (id) =>
        ((await chrome.storage.session.get(`tab:${id}`))[`tab:${id}`] as { sessionId?: string } | undefined)
          ?.sessionId,
      tabId,
    );
  // the panel and the popup open first and stay behind the call: a call in a hidden tab is not
  // sampled, which the timelines would show as gaps
  const panel = await context.newPage();
  await panel.setViewportSize({ width: 400, height: 1100 });
  await panel.goto(`${page('sidepanel/index.html')}?tab=${tabId}`);
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 360, height: 600 });
  await popup.goto(`${page('popup/index.html')}?tabId=${tabId}`);
  await call.bringToFront();
  console.log(`demo call with ${tiles} participants: waiting for a labelled face on every tile`);
  await until('a labelled face on every tile', () =>
    call.evaluate((n) => {
      const layers = [
        ...(document.querySelector('[data-moodlens-overlay]')?.shadowRoot?.querySelectorAll('.layer') ?? []),
      ];
      return layers.length === n && layers.every((l) => l.querySelector('.face'));
    }, tiles),
  );
  const started = Date.now();
  await until(
    `${seconds} s of the call`,
    () => Promise.resolve(Date.now() - started >= seconds * 1000),
    seconds * 1000 + 5000,
  );
  await until('a live row per participant', async () => (await count(panel, 'live-row')) >= tiles);
  await until('a line per participant in the popup', async () => (await count(popup, 'live-face')) >= tiles);
  await call.screenshot({ path: join(out, 'call.jpg'), type: 'jpeg', quality: 80 });
  await popup.screenshot({ path: join(out, 'popup.png'), fullPage: true });
  await panel.screenshot({ path: join(out, 'side-panel.png') });
  // analysis off: the session ends, its report is the last picture
  const sessionId = await sessionOf();
  if (!sessionId) throw new Error('the demo call has no session');
  await popup.getByTestId('enable-switch').click();
  await until('the session to end', async () => (await sessionOf()) === undefined);
  const report = await context.newPage();
  await report.setViewportSize({ width: 1100, height: 900 });
  await report.goto(`${page('report/index.html')}?session=${sessionId}`);
  await until(
    'the report',
    async () => (await count(report, 'timeline')) >= tiles && (await count(report, 'summary')) > 0,
  );
  await report.screenshot({ path: join(out, 'report.png'), fullPage: true });
  console.log(`pictures written to ${out}: call.jpg, popup.png, side-panel.png, report.png`);
} finally {
  await context.close();
  await server.close();
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  } catch {
    // Chromium may still be writing its profile; it is in the temp folder
  }
}
