/**
 * The whole engine (MediaPipe BlazeFace from the package, FER crop, FER classifier on tfjs wasm)
 * on real photographs in headless Chromium, under the extension's CSP, with no request leaving
 * localhost.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChrome } from '../../scripts/find-chrome.ts';
import { startServer, type RunningServer } from '../../scripts/serve.ts';
import type { FrameResult } from '../../src/engine/types.ts';

let server: RunningServer;
let browser: Browser;
let page: Page;
const remote: string[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = await startServer(0);
  cleanups.push(() => server.close());
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? findChrome(),
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  cleanups.push(() => browser.close());
  page = await browser.newPage();
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.hostname !== 'localhost' && url.protocol !== 'data:' && url.protocol !== 'blob:')
      remote.push(r.url());
  });
  await page.goto(`${server.url}test-pages/engine.html`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
});

afterAll(async () => {
  for (const undo of cleanups.reverse()) await undo();
});

const analyse = (file: string) =>
  page.evaluate(
    (url) =>
      (
        window as unknown as { engineTest: { analyse: (u: string) => Promise<FrameResult> } }
      ).engineTest.analyse(url),
    `/shared-photos/${file}`,
  );

describe('engine on real photographs', () => {
  it.each(['person-tetiana.jpg', 'person-christina.jpg', 'person-celeste.jpg', 'person-vlado.jpg'])(
    'finds the face in %s and classifies it',
    { timeout: 120_000 },
    async (file) => {
      const r = await analyse(file);
      expect(r.faces.length).toBeGreaterThanOrEqual(1);
      const face = r.faces[0];
      if (!face) throw new Error('no face');
      expect(face.box.x).toBeGreaterThanOrEqual(-face.box.width / 2);
      expect(face.box.x + face.box.width).toBeLessThanOrEqual(r.width + face.box.width / 2);
      expect(face.box.width).toBeGreaterThan(20);
      expect(face.keypoints).toHaveLength(6);
      expect(face.probabilities).toHaveLength(7);
      expect(face.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(face.confidence).toBe(Math.max(...face.probabilities));
    },
  );

  it.each([
    [320, 240, '#000'],
    [640, 480, '#fff'],
    [16, 16, '#777'],
  ])(
    'reports no face, without error, for a plain %ix%i frame (%s)',
    { timeout: 60_000 },
    async (w, h, colour) => {
      const r = await page.evaluate(
        ([width, height, c]) =>
          (
            window as unknown as {
              engineTest: { analyseBlank: (w: number, h: number, c: string) => Promise<FrameResult> };
            }
          ).engineTest.analyseBlank(width, height, c),
        [w, h, colour] as const,
      );
      expect(r.faces).toEqual([]);
      expect(r.width).toBe(w);
    },
  );

  it('made no request outside localhost', () => {
    expect(remote).toEqual([]);
  });
});
