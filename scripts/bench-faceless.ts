/**
 * The faceless part of `npm run bench` (`--part faceless`): engine frames per second on a 640x480
 * source without faces (headless Chromium, wasm, the detector's CPU delegate), with the tile
 * fallback as the engine runs it (tiles looked at only now and then once they keep coming up empty)
 * and, in the same page and run, alternating, looking in the tiles of every faceless frame (before).
 */
import { chromium } from 'playwright-core';
import { findChrome } from './find-chrome.ts';
import { startServer } from './serve.ts';

type Bench = {
  setup: (b: string) => Promise<string>;
  facelessTiming: (
    frames: number,
    runs: number,
  ) => Promise<{
    scheduledFps: number;
    alwaysFps: number;
    scheduledDetectorRunsPerFrame: number;
    alwaysDetectorRunsPerFrame: number;
  }>;
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
    console.log(
      `| now and then once empty (now) | ${r.scheduledFps.toFixed(1)} | ${r.scheduledDetectorRunsPerFrame.toFixed(2)} |`,
    );
    console.log(
      `| every faceless frame (before) | ${r.alwaysFps.toFixed(1)} | ${r.alwaysDetectorRunsPerFrame.toFixed(2)} |`,
    );
    console.log(JSON.stringify({ faceless: { frames, runs, ...r } }));
  } finally {
    await browser.close();
    await server.close();
  }
}
