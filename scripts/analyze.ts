/**
 * `npm run analyze -- FILE|FOLDER... [--json|--csv] [--fps N] [--smoothing MS]`
 *
 * Runs the MoodLens engine (the extension's pipeline, packaged assets, no network) in headless
 * Chromium on pictures and videos, many in one browser session. A picture: every face with its
 * box, probabilities and dominant expression. A video: a timeline per track, sampled at --fps
 * (default 2). --json prints one JSON object per input file per line; --csv one row per face per
 * sample. Exits non-zero, naming the file, when an input is missing or cannot be decoded.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import type { FrameResult } from '../src/engine/types.ts';
import { FER_CLASSES } from '../src/engine/fer/spec.ts';
import { findChrome } from './find-chrome.ts';
import { startServer } from './serve.ts';

const PICTURES = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.bmp']);
const VIDEOS = new Set(['.webm', '.mp4', '.mov', '.ogv', '.mkv']);

interface VideoAnalysis {
  width: number;
  height: number;
  duration: number;
  frames: FrameResult[];
}

function fail(message: string): never {
  console.error(`analyze: ${message}`);
  process.exit(1);
}

function expand(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) fail(`${p}: no such file or folder`);
    if (statSync(abs).isDirectory()) {
      const inside = readdirSync(abs)
        .sort()
        .map((f) => join(abs, f))
        .filter(
          (f) =>
            statSync(f).isDirectory() ||
            PICTURES.has(extname(f).toLowerCase()) ||
            VIDEOS.has(extname(f).toLowerCase()),
        );
      out.push(...expand(inside));
    } else {
      const ext = extname(abs).toLowerCase();
      if (!PICTURES.has(ext) && !VIDEOS.has(ext))
        fail(`${p}: not a picture or video file this analyser reads (${[...PICTURES, ...VIDEOS].join(' ')})`);
      out.push(abs);
    }
  }
  return out;
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const boxOf = (b: { x: number; y: number; width: number; height: number }) => ({
  x: round(b.x, 1),
  y: round(b.y, 1),
  width: round(b.width, 1),
  height: round(b.height, 1),
});
const probsOf = (p: number[]) => Object.fromEntries(FER_CLASSES.map((c, i) => [c, round(p[i] ?? 0)]));

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        csv: { type: 'boolean', default: false },
        fps: { type: 'string', default: '2' },
        smoothing: { type: 'string', default: '0' },
      },
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0)
    fail('usage: npm run analyze -- FILE|FOLDER... [--json|--csv] [--fps N] [--smoothing MS]');
  if (values.json && values.csv) fail('choose one of --json and --csv');
  const fps = Number(values.fps);
  if (!(fps > 0 && fps <= 30)) fail('--fps must be a number of samples per second from 0 to 30');
  const smoothing = Number(values.smoothing);
  const inputs = expand(positionals);
  if (inputs.length === 0) fail('no pictures or videos in the given folders');

  const files = new Map(inputs.map((f, i) => [`/input/${i}/${encodeURIComponent(basename(f))}`, f]));
  const server = await startServer(0, '127.0.0.1', files);
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? findChrome(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const failures: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) {
        failures.push(`blocked a request to ${r.url()}`);
      }
    });
    await page.goto(`${server.url}pages/src/analyzer/analyzer.html`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    await page.evaluate(() =>
      (window as unknown as { analyzer: { ready: () => Promise<boolean> } }).analyzer.ready(),
    );
    if (values.csv)
      console.log(
        ['file', 'time_s', 'track', 'x', 'y', 'width', 'height', ...FER_CLASSES, 'dominant'].join(','),
      );
    for (const [url, file] of files) {
      const isVideo = VIDEOS.has(extname(file).toLowerCase());
      try {
        if (!isVideo) {
          const r = await page.evaluate(
            (u) =>
              (
                window as unknown as { analyzer: { image: (u: string) => Promise<FrameResult> } }
              ).analyzer.image(u),
            url,
          );
          emitPicture(file, r, values);
        } else {
          const r = await page.evaluate(
            ([u, f, s]) =>
              (
                window as unknown as {
                  analyzer: { video: (u: string, f: number, s: number) => Promise<VideoAnalysis> };
                }
              ).analyzer.video(u, f, s),
            [url, fps, smoothing] as const,
          );
          emitVideo(file, r, fps, values);
        }
      } catch (error) {
        const message =
          (error instanceof Error ? error.message : String(error))
            .replace(/^page\.evaluate: (Error: )?/, '')
            .split('\n')[0] ?? '';
        failures.push(`${file}: ${message}`);
        if (values.json) console.log(JSON.stringify({ file, error: message }));
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  if (failures.length > 0) {
    for (const f of failures) console.error(`analyze: ${f}`);
    process.exit(1);
  }
}

type Flags = { json: boolean; csv: boolean };

function emitPicture(file: string, r: FrameResult, flags: Flags): void {
  const faces = r.faces.map((f) => ({
    box: boxOf(f.box),
    dominant: f.dominant,
    confidence: round(f.confidence),
    probabilities: probsOf(f.probabilities),
  }));
  if (flags.json) {
    console.log(JSON.stringify({ file, type: 'picture', width: r.width, height: r.height, faces }));
  } else if (flags.csv) {
    r.faces.forEach((f, i) => console.log(csvRow(file, 0, i + 1, f)));
  } else {
    console.log(`${file} (${r.width}x${r.height}): ${faces.length} face${faces.length === 1 ? '' : 's'}`);
    faces.forEach((f, i) => {
      const top = Object.entries(f.probabilities)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([c, p]) => `${c} ${(p * 100).toFixed(0)}%`)
        .join(', ');
      console.log(
        `  face ${i + 1} at (${f.box.x}, ${f.box.y}) ${f.box.width}x${f.box.height}: ${f.dominant} (${top})`,
      );
    });
  }
}

function emitVideo(file: string, r: VideoAnalysis, fps: number, flags: Flags): void {
  const tracks = new Map<
    number,
    { t: number; box: ReturnType<typeof boxOf>; dominant: string; probabilities: Record<string, number> }[]
  >();
  for (const frame of r.frames) {
    for (const f of frame.faces) {
      const list = tracks.get(f.trackId) ?? [];
      list.push({
        t: round(frame.timestamp / 1000, 3),
        box: boxOf(f.box),
        dominant: f.dominant,
        probabilities: probsOf(f.probabilities),
      });
      tracks.set(f.trackId, list);
    }
  }
  if (flags.json) {
    console.log(
      JSON.stringify({
        file,
        type: 'video',
        width: r.width,
        height: r.height,
        duration: round(r.duration, 3),
        fps,
        samples: r.frames.length,
        tracks: [...tracks].map(([trackId, samples]) => ({ trackId, samples })),
      }),
    );
  } else if (flags.csv) {
    for (const frame of r.frames)
      for (const f of frame.faces) console.log(csvRow(file, frame.timestamp / 1000, f.trackId, f));
  } else {
    console.log(
      `${file} (${r.width}x${r.height}, ${r.duration.toFixed(1)} s, ${r.frames.length} samples at ${fps}/s): ${tracks.size} track${tracks.size === 1 ? '' : 's'}`,
    );
    for (const [id, samples] of tracks) {
      console.log(`  track ${id}: ${samples.map((s) => `${s.t.toFixed(1)}s ${s.dominant}`).join(' | ')}`);
    }
  }
}

function csvRow(file: string, t: number, track: number, f: FrameResult['faces'][number]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [
    q(file),
    round(t, 3),
    track,
    round(f.box.x, 1),
    round(f.box.y, 1),
    round(f.box.width, 1),
    round(f.box.height, 1),
    ...f.probabilities.map((p) => round(p)),
    f.dominant,
  ].join(',');
}

await main();
