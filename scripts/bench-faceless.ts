/**
 * The faceless part of `npm run bench` (`--part faceless`): engine frames per second on a 640x480
 * source without faces (headless Chromium, wasm, the detector's CPU delegate), with the tile
 * fallback as the engine runs it (3x3 tiles looked at only now and then once they keep coming up
 * empty) and, in the same page and run, alternating, the same with 2x2 tiles (before 2026-12-01) and
 * 3x3 tiles looked at on every faceless frame.
 */
import { chromium } from 'playwright-core';
import { findChrome } from './find-chrome.ts';
import { startServer } from './serve.ts';

type Row = { fps: number; detectorRunsPerFrame: number };
type Bench = {
  setup: (b: string) => Promise<string>;
  facelessTiming: (
    frames: number,
    runs: number,
  ) => Promise<{ scheduled: Row; scheduled2x2: Row; always: Row }>;
};

export async function runFacelessBench(runs: number, frames = 40): Promise<void> {
  const server = await startServer(0);
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? findChrome(),
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}pages/scripts/bench/bench.html`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    await page.evaluate(() => (window as unknown as { bench: Bench }).bench.setup('wasm'));
    const r = await page.evaluate(
      ([f, n]) => (window as unknown as { bench: Bench }).bench.facelessTiming(f, n),
      [frames, runs] as const,
    );
    console.log(
      `MoodLens faceless-source benchmark (headless Chromium, 640x480 frame without faces, ${String(frames)} frames per run, medians of ${String(runs)} runs)\n`,
    );
    console.log('| tile fallback | engine frames/s | detector runs per frame |');
    console.log('|---|---|---|');
    const row = (name: string, x: Row) =>
      console.log(`| ${name} | ${x.fps.toFixed(1)} | ${x.detectorRunsPerFrame.toFixed(2)} |`);
    row('3x3 tiles, now and then once empty (now)', r.scheduled);
    row('2x2 tiles, now and then once empty (before)', r.scheduled2x2);
    row('3x3 tiles on every faceless frame', r.always);
    console.log(JSON.stringify({ faceless: { frames, runs, ...r } }));
  } finally {
    await browser.close();
    await server.close();
  }
}
