/**
 * `npm run calibrate-framing -- [--count N] [--side PX]`: measures the box-to-crop rule.
 *
 * FER2013 Training faces (the validation split is left alone) are pasted, upscaled to a square of
 * `side` pixels, at random places into 640x480 grey frames; the MediaPipe detector runs on each in
 * headless Chromium. For every detected face it records where the pasted square (the FER framing)
 * is relative to the detector's box, in the eye-levelled frame the engine crops in:
 *   scale   = square side / mean box side
 *   offsetX = (square centre - box centre) . eye axis / box width
 *   offsetY = (square centre - box centre) . normal  / box height
 * and prints the medians (the rule), quartiles and the detection rate, as JSON on the last line.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { findChrome } from './find-chrome.ts';
import { startServer } from './serve.ts';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '400' }, side: { type: 'string', default: '192' } },
});
const count = Number(values.count);
const side = Number(values.side);
const DATA = resolve(import.meta.dirname, '../../shared/datasets/fer2013');
const images = readFileSync(resolve(DATA, 'images.u8'));
const rows = readFileSync(resolve(DATA, 'meta.csv'), 'utf8').trim().split('\n').slice(1);
// Training pictures with lossless pixels, spread over the split. Only their geometry is used (no
// label, no classifier), so this measurement cannot leak into the model's evaluation.
const picks: number[] = [];
const step = Math.max(1, Math.floor(rows.length / (count * 2)));
for (let i = 0; i < rows.length && picks.length < count; i += step) {
  const cols = (rows[i] ?? '').split(',');
  if (cols[1] === 'Training' && cols[5] === 'png') picks.push(Number(cols[0]));
}
const faces = picks.map((i) => Array.from(images.subarray(i * 2304, (i + 1) * 2304)));

const server = await startServer(0);
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? findChrome(),
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}pages/tests/pages/calibrate.html`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  type P = {
    px: number;
    py: number;
    side: number;
    box?: { x: number; y: number; width: number; height: number };
    eyes?: { right: { x: number; y: number }; left: { x: number; y: number } };
  };
  const placements: P[] = [];
  for (let i = 0; i < faces.length; i += 50) {
    placements.push(
      ...(await page.evaluate(
        ([f, s, seed]) =>
          (
            window as unknown as {
              calibrate: { paste: (f: number[][], s: number, seed: number) => Promise<P[]> };
            }
          ).calibrate.paste(f, s, seed),
        [faces.slice(i, i + 50), side, 1000 + i] as const,
      )),
    );
  }
  const found = placements.filter((p): p is Required<P> => p.box !== undefined && p.eyes !== undefined);
  const scale: number[] = [];
  const offX: number[] = [];
  const offY: number[] = [];
  const angle: number[] = [];
  for (const p of found) {
    const a = Math.atan2(p.eyes.left.y - p.eyes.right.y, p.eyes.left.x - p.eyes.right.x);
    const dx = p.px + p.side / 2 - (p.box.x + p.box.width / 2);
    const dy = p.py + p.side / 2 - (p.box.y + p.box.height / 2);
    scale.push(p.side / ((p.box.width + p.box.height) / 2));
    offX.push((dx * Math.cos(a) + dy * Math.sin(a)) / p.box.width);
    offY.push((-dx * Math.sin(a) + dy * Math.cos(a)) / p.box.height);
    angle.push((a * 180) / Math.PI);
  }
  const q = (xs: number[], f: number) => {
    const s = [...xs].sort((x, y) => x - y);
    return s[Math.min(s.length - 1, Math.floor(f * (s.length - 1)))] ?? NaN;
  };
  const stat = (xs: number[]) => ({ median: q(xs, 0.5), q1: q(xs, 0.25), q3: q(xs, 0.75) });
  const result = {
    pictures: faces.length,
    side,
    detected: found.length,
    detectionRate: found.length / faces.length,
    scale: stat(scale),
    offsetX: stat(offX),
    offsetY: stat(offY),
    eyeAngleDeg: stat(angle),
  };
  console.log(
    `FER2013 Training faces pasted at ${side} px into 640x480 frames: ${found.length}/${faces.length} detected`,
  );
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  await server.close();
}
