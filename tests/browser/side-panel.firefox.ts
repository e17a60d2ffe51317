/**
 * Issue 17 in Firefox: the sidebar page (sidebar_action's panel, opened as a tab for one tab id)
 * shows a live row per participant that updates while the demo call runs. Declared by
 * firefox.test.ts with its harness.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { until } from './wait.ts';

export interface FirefoxHarness {
  browser: Browser;
  server: RunningServer;
  openExtensionPage: (path: string) => Promise<Page>;
  tabIdOf: (page: Page, urlPrefix: string) => Promise<number>;
}

function rowsOf(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('[data-testid="live-row"]')].map((r) => [
        r.dataset.participant ?? '',
        Number(r.dataset.latest),
      ]),
    ),
  );
}

export function sidebarTests(harness: () => FirefoxHarness): void {
  describe('Firefox: the sidebar (issue 17)', () => {
    let demo: Page;
    let url: string;

    beforeAll(async () => {
      const { browser, server } = harness();
      url = `${server.url}?tiles=4&sidebar=1`;
      demo = await browser.newPage();
      await demo.goto(url);
      await demo.waitForSelector('body[data-ready="true"]');
    });

    afterAll(async () => {
      await demo.close();
    });

    it(
      'the sidebar page shows a live row per participant that updates as the call runs',
      { timeout: 150_000 },
      async () => {
        const { openExtensionPage, tabIdOf } = harness();
        const probe = await openExtensionPage('src/popup/index.html?tabId=-1');
        const tabId = await tabIdOf(probe, url);
        await probe.close();
        const sidebar = await openExtensionPage(`src/sidepanel/index.html?tab=${tabId}`);
        await demo.bringToFront();
        await until(
          'a live row per participant',
          async () => Object.keys(await rowsOf(sidebar)).length >= 4,
          120_000,
        );
        const before = await rowsOf(sidebar);
        await until(
          'the rows to take new samples',
          async () => {
            const now = await rowsOf(sidebar);
            return Object.entries(before).every(([id, latest]) => (now[id] ?? 0) > latest);
          },
          30_000,
        );
        expect(
          await sidebar.evaluate(() =>
            document.querySelector('[data-testid="panel"]')?.getAttribute('data-tab'),
          ),
        ).toBe(String(tabId));
        await sidebar.close();
      },
    );
  });
}
