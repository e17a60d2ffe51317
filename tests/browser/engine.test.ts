/**
 * The whole engine (MediaPipe BlazeFace from the package, FER crop, FER classifier on tfjs wasm)
 * on real photographs in headless Chromium, under the extension's CSP, with no request leaving
 * localhost.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pagesChromium } from './pages-chromium.ts';
import type { RunningServer } from '../../scripts/serve.ts';
import type { FrameResult } from '../../src/engine/types.ts';
import { ferFaces, PUBLIC_TEST_SAMPLE } from '../fixtures/fer-faces.ts';

let server: RunningServer;
let browser: Browser;
let page: Page;
const remote: string[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const launched = await pagesChromium();
  ({ server, browser } = launched);
  cleanups.push(launched.close);
  page = await browser.newPage();
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.hostname !== 'localhost' && url.protocol !== 'data:' && url.protocol !== 'blob:')
      remote.push(r.url());
  });
  await page.goto(`${server.url}pages/tests/pages/engine.html`);
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
    `/fixtures/photos/${file}`,
  );

describe('engine on real photographs', () => {
  it.each(['solvay-curie.jpg', 'solvay-planck.jpg', 'solvay-lorentz.jpg', 'solvay-dirac.jpg'])(
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

  it('runs 500 frames with no tensor leak and one detector instance', { timeout: 300_000 }, async () => {
    const r = await page.evaluate(
      (url) =>
        (
          window as unknown as {
            engineTest: {
              stress: (
                u: string,
                n: number,
              ) => Promise<{ before: number; after: number; detectorsCreated: number; faces: number }>;
            };
          }
        ).engineTest.stress(url, 500),
      '/fixtures/photos/solvay-lorentz.jpg',
    );
    expect(r.faces).toBe(500);
    expect(r.after).toBe(r.before);
    expect(r.detectorsCreated).toBe(1);
  });

  it('made no request outside localhost', () => {
    expect(remote).toEqual([]);
  });
});

describe('FER framing of the crop', () => {
  it(
    'cuts a pasted FER2013 face where it was pasted (median IoU of the squares > 0.7)',
    { timeout: 180_000 },
    async () => {
      const calib = await browser.newPage();
      await calib.goto(`${server.url}pages/tests/pages/calibrate.html`);
      await calib.waitForSelector('body[data-ready="true"]', { state: 'attached' });
      const overlaps: number[] = [];
      // PublicTest pictures, which the calibration did not use
      for (const pixels of ferFaces(PUBLIC_TEST_SAMPLE)) {
        const face = Array.from(pixels);
        const square = await calib.evaluate(
          ([f, s]) =>
            (
              window as unknown as {
                calibrate: {
                  cropOfPasted: (
                    f: number[],
                    s: number,
                  ) => Promise<{ x: number; y: number; side: number } | null>;
                };
              }
            ).calibrate.cropOfPasted(f, s),
          [face, 192] as const,
        );
        if (square) overlaps.push(iou(square, { x: 200, y: 120, side: 192 }));
      }
      await calib.close();
      expect(overlaps.length).toBeGreaterThanOrEqual(16);
      const median = [...overlaps].sort((a, b) => a - b)[Math.floor(overlaps.length / 2)] ?? 0;
      expect(median).toBeGreaterThan(0.7);
    },
  );
});

function iou(a: { x: number; y: number; side: number }, b: { x: number; y: number; side: number }): number {
  const w = Math.max(0, Math.min(a.x + a.side, b.x + b.side) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.side, b.y + b.side) - Math.max(a.y, b.y));
  return (w * h) / (a.side * a.side + b.side * b.side - w * h);
}
