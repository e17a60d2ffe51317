/**
 * The FER classifier in headless Chromium on the GPU back ends: the logits must match PyTorch's
 * within 1e-3 there too. Here WebGPU runs on SwiftShader (software), which checks correctness,
 * not speed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pagesChromium } from './pages-chromium.ts';
import type { RunningServer } from '../../scripts/serve.ts';
import { ferFaces } from '../fixtures/fer-faces.ts';

interface Parity {
  indices: number[];
  logits: number[][];
  logits_flip_averaged: number[][];
}
const parity = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../fixtures/fer-parity.json'), 'utf8'),
) as Parity;
// Software rendering is slow: a few faces are enough to check the arithmetic.
const COUNT = 3;
const faces = ferFaces(parity.indices.slice(0, COUNT)).map((f) => Array.from(f));
const expected = {
  logits: parity.logits.slice(0, COUNT),
  flipped: parity.logits_flip_averaged.slice(0, COUNT),
};

let server: RunningServer;
let browser: Browser;
let page: Page;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const launched = await pagesChromium({ webgpu: true });
  ({ server, browser } = launched);
  cleanups.push(launched.close);
  page = await browser.newPage();
  await page.goto(`${server.url}pages/tests/pages/fer.html`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
});

afterAll(async () => {
  for (const undo of cleanups.reverse()) await undo();
});

function maxAbsDiff(a: number[][], b: number[][]): number {
  let worst = 0;
  a.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (b[i]?.[j] ?? NaN))))));
  return Number.isNaN(worst) ? Infinity : worst;
}

type Result = { backend: string; logits: number[][]; flipped: number[][]; leaked: number };

describe.each(['webgpu', 'webgl'])('FER classifier on %s in headless Chromium', (backend) => {
  it('matches the PyTorch logits within 1e-3 and leaks no tensors', { timeout: 300_000 }, async () => {
    const result = await page.evaluate(
      ([b, f]) =>
        (
          window as unknown as { ferTest: { run: (b: string, f: number[][]) => Promise<Result> } }
        ).ferTest.run(b, f),
      [backend, faces] as const,
    );
    expect(result.backend).toBe(backend);
    expect(maxAbsDiff(result.logits, expected.logits)).toBeLessThan(1e-3);
    expect(maxAbsDiff(result.flipped, expected.flipped)).toBeLessThan(1e-3);
    expect(result.leaked).toBe(0);
  });
});
