/**
 * Issue 17 in Chromium: the side panel page (opened as a tab for one tab id, as the panel would
 * show it) keeps a live row per participant that updates while the demo call runs, and the popup
 * with nine participants fits in the 600 px a browser gives it; the keyboard reaches every control
 * of both and of the report; the report saved as one HTML file opens offline and shows the same
 * figures. Declared by chromium.test.ts with its harness.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { until } from './wait.ts';

export interface ChromiumHarness {
  context: BrowserContext;
  worker: Worker;
  server: RunningServer;
  extensionId: string;
}

/** Each live row's sample count and newest sample time, by participant. */
function rowsOf(page: Page): Promise<Record<string, [number, number]>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('[data-testid="live-row"]')].map((r) => [
        r.dataset.participant ?? '',
        [Number(r.dataset.samples), Number(r.dataset.latest)],
      ]),
    ),
  );
}

/**
 * Presses Tab through the page until focus comes back round, and answers whether every control
 * (enabled buttons, inputs, selects, focusable charts and lists) was reached; the missed ones named.
 */
async function unreachedByTab(page: Page): Promise<string[]> {
  await page.evaluate(() => {
    let i = 0;
    for (const el of document.querySelectorAll<HTMLElement>(
      'button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex="0"]',
    ))
      el.dataset.control = String(i++);
    (document.activeElement as HTMLElement | null)?.blur();
  });
  const total = await page.evaluate(() => document.querySelectorAll('[data-control]').length);
  const reached = new Set<string>();
  // links (notable moments) take presses too, and a live page gains some while this runs: press
  // until every control was reached, or a full round many times over
  for (let k = 0; k < 400 && reached.size < total; k++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.control);
    if (id !== undefined) reached.add(id);
  }
  return page.evaluate(
    (seen) =>
      [...document.querySelectorAll<HTMLElement>('[data-control]')]
        .filter((el) => !seen.includes(el.dataset.control ?? ''))
        .map((el) => el.outerHTML.slice(0, 80)),
    [...reached],
  );
}

export function sidePanelTests(harness: () => ChromiumHarness): void {
  describe('Chromium: the side panel and the quick popup (issue 17)', () => {
    let demo: Page;
    let tabId: number;
    let url: string;

    beforeAll(async () => {
      const { context, worker, server } = harness();
      url = `${server.url}?tiles=9&panel=1`;
      demo = await context.newPage();
      await demo.goto(url);
      tabId = await worker.evaluate(async (u) => {
        const tab = (await chrome.tabs.query({})).find((t) => t.url === u);
        if (tab?.id === undefined) throw new Error(`no tab at ${u}`);
        return tab.id;
      }, url);
    });

    afterAll(async () => {
      await demo.close();
    });

    it(
      'the side panel page for a tab shows a live row per participant that updates as the call runs',
      { timeout: 120_000 },
      async () => {
        const { context, extensionId } = harness();
        const panel = await context.newPage();
        await panel.goto(`chrome-extension://${extensionId}/src/sidepanel/index.html?tab=${tabId}`);
        // the call must be the visible tab for its videos to be sampled
        await demo.bringToFront();
        await until(
          'a live row for each of the 9 participants',
          async () => Object.keys(await rowsOf(panel)).length >= 9,
          90_000,
        );
        const before = await rowsOf(panel);
        await until(
          'every row to take new samples',
          async () => {
            const now = await rowsOf(panel);
            return Object.entries(before).every(([id, [, latest]]) => (now[id]?.[1] ?? 0) > latest);
          },
          30_000,
        );
        expect(await panel.getByTestId('panel').getAttribute('data-tab')).toBe(String(tabId));
        expect(await panel.getByTestId('overview-row').count()).toBeGreaterThanOrEqual(9);
        expect(await panel.getByTestId('mood-now').innerText()).toMatch(
          /Mood now: (positive|neutral|negative)/,
        );
        // every strip has its text alternative
        const labels = await panel
          .getByTestId('live-strip')
          .evaluateAll((svgs) => svgs.map((s) => s.getAttribute('aria-label') ?? ''));
        expect(labels.every((l) => /last 3 minutes: .*valence (rising|falling|steady)/.test(l))).toBe(true);
        await panel.close();
      },
    );

    it('the popup with 9 participants fits in 600 px without scrolling', { timeout: 90_000 }, async () => {
      const { context, extensionId } = harness();
      const popup = await context.newPage();
      await popup.setViewportSize({ width: 360, height: 600 });
      await popup.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=${tabId}`);
      await demo.bringToFront();
      await until(
        'a line per participant in the popup',
        async () => (await popup.getByTestId('live-face').count()) >= 9,
        60_000,
      );
      await until(
        'the back end in the live line',
        async () => /WebGPU|WebGL|WASM|CPU/.test(await popup.getByTestId('live-stats').innerText()),
        30_000,
      );
      const height = await popup.evaluate(() => document.documentElement.scrollHeight);
      expect(height).toBeLessThanOrEqual(600);
      await popup.close();
    });

    it(
      'the keyboard reaches every control of the popup and of the side panel',
      { timeout: 60_000 },
      async () => {
        const { context, extensionId } = harness();
        for (const path of [`popup/index.html?tabId=${tabId}`, `sidepanel/index.html?tab=${tabId}`]) {
          const page = await context.newPage();
          await page.goto(`chrome-extension://${extensionId}/src/${path}`);
          await until(
            'the page to fill in',
            async () => (await page.locator('button:not([disabled])').count()) >= 3,
          );
          expect(await unreachedByTab(page), path).toEqual([]);
          await page.close();
        }
      },
    );

    it(
      'the report saved as an HTML file opens offline and shows the same figures',
      { timeout: 90_000 },
      async () => {
        const { context, worker, extensionId } = harness();
        const sessionOf = () =>
          worker.evaluate(
            async (id) =>
              (
                (await chrome.storage.session.get(`tab:${id}`))[`tab:${id}`] as
                  { sessionId?: string } | undefined
              )?.sessionId,
            tabId,
          );
        const sessionId = await sessionOf();
        if (!sessionId) throw new Error('the demo call has no session');
        // analysis off: the session ends, and its report stays as it is
        const popup = await context.newPage();
        await popup.goto(`chrome-extension://${extensionId}/src/popup/index.html?tabId=${tabId}`);
        await popup.getByTestId('enable-switch').click();
        await until('the session to end', async () => (await sessionOf()) === undefined);
        await popup.close();
        const report = await context.newPage();
        await report.goto(`chrome-extension://${extensionId}/src/report/index.html?session=${sessionId}`);
        await until(
          'the ended session in the report',
          async () =>
            (await report.getByTestId('timeline').count()) >= 9 &&
            !/running/.test(await report.getByTestId('session').locator('header').innerText()),
          30_000,
        );
        const figuresOf = (page: Page) =>
          page.evaluate(() => ({
            mood: document.querySelector('[data-testid="call-mood"]')?.textContent,
            table: document.querySelector('[data-testid="summary-table"]')?.textContent,
            timelines: [...document.querySelectorAll<HTMLElement>('[data-testid="timeline"]')].map((f) => [
              f.dataset.participant,
              f.dataset.points,
              f.querySelector('svg')?.getAttribute('aria-label'),
            ]),
          }));
        expect(await unreachedByTab(report), 'the report page').toEqual([]);
        const shown = await figuresOf(report);
        expect(shown.mood).toMatch(/Mood of the call: (positive|negative|neutral)/);
        const [download] = await Promise.all([
          report.waitForEvent('download'),
          report.getByTestId('save-html').click(),
        ]);
        const dir = mkdtempSync(join(tmpdir(), 'moodlens-report-'));
        try {
          const file = join(dir, download.suggestedFilename());
          await download.saveAs(file);
          expect(readFileSync(file, 'utf8')).not.toMatch(/<script/i);
          const saved = await context.newPage();
          const requests: string[] = [];
          saved.on('request', (r) => requests.push(r.url()));
          await context.setOffline(true);
          try {
            await saved.goto(`file://${file}`);
            expect(await figuresOf(saved)).toEqual(shown);
            // the file loads nothing but itself
            expect(requests).toEqual([`file://${file}`]);
          } finally {
            await context.setOffline(false);
          }
          await saved.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        await report.close();
      },
    );
  });
}
