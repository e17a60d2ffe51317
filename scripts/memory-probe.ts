/**
 * `npx tsx scripts/memory-probe.ts --variant NAME [--minutes 3] [--interval 20] [--size 640x360]`:
 * runs one part of the frame pipeline in a tight loop in a plain page of headless Chromium (served
 * by scripts/serve.ts; no build needed) on a frame made from a fixture photo, and samples the
 * page's renderer resident memory (VmRSS, Linux /proc), the GPU process's, and the MediaPipe wasm
 * memory where the variant has one. It prints each sample and, at the end, the growth per minute
 * and per 1000 frames after the first minute (least squares). It tells which part of the offscreen
 * document's pipeline grows the native memory that `npm run soak` shows.
 *
 * Variants (each frame a fresh ImageBitmap copied from the frame, closed after use, as the relay's
 * transferred frames are, unless said otherwise):
 *   bitmap            createImageBitmap and close only
 *   crop              bitmap, then the face cropper's 48x48 drawImage + getImageData
 *   jpeg              decode the frame's JPEG (createImageBitmap of a Blob) and close
 *   detect-cpu        bitmap, then MediaPipe FaceDetector.detect, CPU delegate
 *   detect-cpu-same   MediaPipe detect, CPU delegate, the same bitmap every frame
 *   detect-cpu-sizes  as detect-cpu, frames alternating between the size and its 2x2 tile size
 *   detect-cpu-imagedata  MediaPipe detect of ImageData (getImageData of the frame), CPU delegate
 *   detect-gpu        as detect-cpu, GPU delegate
 *   engine            the whole engine (tests/pages/engine.html: CPU delegate, tfjs wasm) on the
 *                     frame's JPEG fetched and decoded each time (needs `npm run build:pages`)
 *   engine-same       the same, on one decoded bitmap 50 frames at a time (engineTest.stress)
 *   fetch             fetch the frame's JPEG (served by the probe) as a Blob only
 *   host              the offscreen document's ExtensionPageEngine (tests/pages/extension-page-engine.html, tfjs
 *                     wasm) on the frame as a JPEG data URL, the JPEG frame path without the
 *                     extension messaging (needs `npm run build:pages`)
 * `--gc`: collect the page's garbage before each sample (what is kept, not what is not yet freed).
 * `--dump`: also the renderer's memory by allocator at each sample (scripts/memory-dump.ts).
 * `--variant` takes a comma-separated list: each runs in a fresh browser, one after another.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { rssMiB } from './process-memory.ts';
import { findChrome, QUIET_CHROMIUM_FLAGS } from './find-chrome.ts';
import { formatDump, memoryDump } from './memory-dump.ts';
import { startServer } from './serve.ts';

const { values } = parseArgs({
  options: {
    variant: { type: 'string', default: 'detect-cpu' },
    minutes: { type: 'string', default: '3' },
    interval: { type: 'string', default: '20' },
    size: { type: 'string', default: '640x360' },
    // also print the renderer's memory by allocator (Chromium's memory-infra dump) at each sample
    dump: { type: 'boolean', default: false },
    // collect the page's garbage (V8 and Blink's heap) before each sample
    gc: { type: 'boolean', default: false },
  },
});
const MINUTES = Number(values.minutes);
const INTERVAL_S = Number(values.interval);
const [WIDTH, HEIGHT] = values.size.split('x').map(Number) as [number, number];

/** Page side: builds the variant's step (one frame) and runs it in a loop, counting frames. */
async function startLoop(args: { variant: string; width: number; height: number }): Promise<string> {
  const { variant, width, height } = args;
  const photo = await createImageBitmap(await (await fetch('/fixtures/photos/solvay-curie.jpg')).blob());
  const frameCanvas = (w: number, h: number): OffscreenCanvas => {
    const c = new OffscreenCanvas(w, h);
    const g = c.getContext('2d') as OffscreenCanvasRenderingContext2D;
    g.fillStyle = '#777';
    g.fillRect(0, 0, w, h);
    const s = Math.min(w / 176, h / 200) * 0.8;
    g.drawImage(photo, (w - 176 * s) / 2, (h - 200 * s) / 2, 176 * s, 200 * s);
    return c;
  };
  const need = <T>(x: T | null | undefined, what: string): T => {
    if (x === null || x === undefined) throw new Error(`${what} is not available`);
    return x;
  };
  const main = frameCanvas(width, height);
  const tile = frameCanvas(width >> 1, height >> 1);
  const jpeg = await main.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
  const probe = { frames: 0, faces: 0, wasm: (): number | null => null, error: '' };
  (globalThis as unknown as { probe: typeof probe }).probe = probe;

  const pages = globalThis as unknown as {
    engineTest?: {
      analyse(url: string): Promise<{ faces: unknown[] }>;
      stress(url: string, frames: number): Promise<{ faces: number }>;
    };
    pageEngineTest?: {
      start(): Promise<{ state: string; error?: string }>;
      analyse(url: string): Promise<{ kind: string; faces?: unknown[] }>;
    };
    _tfengine?: { registry?: { wasm?: { wasm?: { HEAPU8?: Uint8Array } } } };
  };
  // the host page's CSP allows fetches from its own origin only: the probe serves the JPEG there
  (globalThis as unknown as { probeJpeg: string }).probeJpeg = await new Promise<string>((ok) => {
    const reader = new FileReader();
    reader.onload = () => ok((reader.result as string).split(',')[1] as string);
    reader.readAsDataURL(jpeg);
  });
  const jpegUrl = '/probe-frame.jpg';
  if (variant === 'host') {
    const status = await need(pages.pageEngineTest, 'pageEngineTest').start();
    if (status.state !== 'ready') throw new Error(`host: ${status.error ?? status.state}`);
  }
  if (variant === 'host' || variant === 'engine')
    probe.wasm = () => pages._tfengine?.registry?.wasm?.wasm?.HEAPU8?.byteLength ?? null;

  type Detector = { detect(i: unknown): { detections: unknown[] } };
  let detector: Detector | undefined;
  if (variant.startsWith('detect-')) {
    const mpUrl = '/node_modules/@mediapipe/tasks-vision/vision_bundle.mjs';
    const mp = (await import(/* @vite-ignore */ mpUrl)) as {
      FilesetResolver: { forVisionTasks(base: string): Promise<unknown> };
      FaceDetector: { createFromOptions(fileset: unknown, options: object): Promise<Detector> };
    };
    const fileset = await mp.FilesetResolver.forVisionTasks('/node_modules/@mediapipe/tasks-vision/wasm');
    detector = await mp.FaceDetector.createFromOptions(fileset, {
      baseOptions: {
        modelAssetPath: '/models/face-detector/face_detection_short_range.tflite',
        delegate: variant === 'detect-gpu' ? 'GPU' : 'CPU',
      },
      runningMode: 'IMAGE',
    });
    // the wasm module (minified field names): the first object two levels down with HEAPU8
    const find = (o: unknown, depth: number): { HEAPU8: Uint8Array } | undefined => {
      if (!o || typeof o !== 'object' || depth < 0) return undefined;
      if ('HEAPU8' in o) return o as { HEAPU8: Uint8Array };
      for (const v of Object.values(o)) {
        const f = find(v, depth - 1);
        if (f) return f;
      }
      return undefined;
    };
    const module = find(detector, 2);
    probe.wasm = () => module?.HEAPU8.byteLength ?? null;
  }
  const crop = need(new OffscreenCanvas(48, 48).getContext('2d', { willReadFrequently: true }), '2D canvas');
  const same = await createImageBitmap(main);
  const imageData = need(main.getContext('2d'), '2D canvas').getImageData(0, 0, width, height);

  const step = async (): Promise<void> => {
    const frame = variant === 'detect-cpu-sizes' && probe.frames % 2 === 1 ? tile : main;
    if (variant === 'engine') {
      probe.faces += (await need(pages.engineTest, 'engineTest').analyse(jpegUrl)).faces.length;
      return;
    }
    if (variant === 'engine-same') {
      // 50 frames of one bitmap (one fetch and decode per 50 frames)
      probe.faces += (await need(pages.engineTest, 'engineTest').stress(jpegUrl, 50)).faces;
      probe.frames += 49;
      return;
    }
    if (variant === 'fetch') {
      probe.faces += (await (await fetch(jpegUrl)).blob()).size > 0 ? 1 : 0;
      return;
    }
    if (variant === 'host') {
      probe.faces += (await need(pages.pageEngineTest, 'pageEngineTest').analyse(jpegUrl)).faces?.length ?? 0;
      return;
    }
    if (variant === 'jpeg') {
      (await createImageBitmap(jpeg)).close();
      return;
    }
    if (variant === 'detect-cpu-same') {
      probe.faces += need(detector, 'detector').detect(same).detections.length;
      return;
    }
    if (variant === 'detect-cpu-imagedata') {
      probe.faces += need(detector, 'detector').detect(imageData).detections.length;
      return;
    }
    const bitmap = await createImageBitmap(frame);
    try {
      if (variant === 'crop') {
        crop.setTransform(0.2, 0, 0, 0.2, -10, -10);
        crop.drawImage(bitmap, 0, 0);
        crop.setTransform(1, 0, 0, 1, 0, 0);
        probe.faces += (crop.getImageData(0, 0, 48, 48).data[0] ?? 0) > 0 ? 1 : 0;
      } else if (detector) probe.faces += detector.detect(bitmap).detections.length;
    } finally {
      bitmap.close();
    }
  };
  if (!['bitmap', 'crop', 'jpeg', 'fetch', 'engine', 'engine-same', 'host'].includes(variant) && !detector)
    throw new Error(`unknown variant ${variant}`);
  void (async () => {
    for (;;) {
      try {
        await step();
      } catch (error) {
        probe.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
        return;
      }
      probe.frames++;
      await new Promise((ok) => setTimeout(ok, 0));
    }
  })();
  return variant;
}

async function processes(cdp: CDPSession): Promise<{ id: number; type: string }[]> {
  return (await cdp.send('SystemInfo.getProcessInfo')).processInfo;
}

/** The renderer that grows by ~128 MiB while the page holds that much. */
async function pageRenderer(cdp: CDPSession, page: Page): Promise<number> {
  const pids = (await processes(cdp)).filter((p) => p.type === 'renderer').map((p) => p.id);
  const before = pids.map(rssMiB);
  await page.evaluate(() => {
    (globalThis as unknown as { mark?: Uint8Array }).mark = new Uint8Array(128 << 20).fill(1);
  });
  const grown = pids.map((pid, i) => rssMiB(pid) - (before[i] as number));
  await page.evaluate(() => delete (globalThis as unknown as { mark?: Uint8Array }).mark);
  const best = grown.indexOf(Math.max(...grown));
  if ((grown[best] ?? 0) < 96) throw new Error('could not tell which process runs the page');
  return pids[best] as number;
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

async function probeVariant(variant: string, origin: string): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'moodlens-probe-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChrome(),
    headless: true,
    args: QUIET_CHROMIUM_FLAGS,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    // tsx (esbuild keepNames) wraps the functions passed to the page in __name()
    await page.addInitScript('globalThis.__name = (f) => f');
    // scripts/serve.ts sends .mjs files without a JavaScript type, which module imports refuse
    await page.route('**/*.mjs', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { 'content-type': 'text/javascript' } });
    });
    const path = {
      engine: '/pages/tests/pages/engine.html',
      'engine-same': '/pages/tests/pages/engine.html',
      host: '/pages/tests/pages/extension-page-engine.html?backend=wasm&delegate=CPU',
    }[variant];
    let frameJpeg: Buffer | undefined;
    await page.route('**/probe-frame.jpg', async (route) => {
      frameJpeg ??= Buffer.from(
        await page.evaluate(() => (globalThis as unknown as { probeJpeg: string }).probeJpeg),
        'base64',
      );
      await route.fulfill({ body: frameJpeg, headers: { 'content-type': 'image/jpeg' } });
    });
    await page.goto(new URL(path ?? '/fixtures/no-video.html', origin).href);
    const browser = context.browser();
    if (!browser) throw new Error('no browser CDP session');
    const cdp = await browser.newBrowserCDPSession();
    const renderer = await pageRenderer(cdp, page);
    const pageCdp = await context.newCDPSession(page);
    await page.evaluate(startLoop, { variant, width: WIDTH, height: HEIGHT });
    const samples: { min: number; frames: number; rss: number; gpu: number; wasm: number | null }[] = [];
    const start = Date.now();
    for (let i = 0; i * INTERVAL_S <= MINUTES * 60; i++) {
      await new Promise((ok) => setTimeout(ok, Math.max(0, start + i * INTERVAL_S * 1000 - Date.now())));
      const state = await page.evaluate(() => {
        const p = (
          globalThis as unknown as {
            probe: { frames: number; faces: number; wasm(): number | null; error: string };
          }
        ).probe;
        return { frames: p.frames, faces: p.faces, wasm: p.wasm(), error: p.error };
      });
      if (state.error) throw new Error(`${variant}: ${state.error}`);
      if (values.gc) await pageCdp.send('HeapProfiler.collectGarbage');
      const gpuPid = (await processes(cdp)).find((p) => p.type === 'GPU')?.id;
      const sample = {
        min: (Date.now() - start) / 60_000,
        frames: state.frames,
        rss: rssMiB(renderer),
        gpu: gpuPid === undefined ? NaN : rssMiB(gpuPid),
        wasm: state.wasm === null ? null : state.wasm / 2 ** 20,
      };
      samples.push(sample);
      if (values.dump) {
        const dump = (await memoryDump(cdp)).get(renderer);
        console.log(`  allocators (MiB): ${formatDump(dump)}`);
        for (const parent of ['blink_gc', 'blink_objects', 'partition_alloc/partitions', 'malloc'])
          console.log(`    ${parent}: ${formatDump(dump, parent)}`);
      }
      console.log(
        `${variant} ${sample.min.toFixed(2)} min: frames ${sample.frames} (faces ${state.faces}), renderer ${sample.rss.toFixed(1)} MiB, GPU process ${sample.gpu.toFixed(1)} MiB${sample.wasm === null ? '' : `, wasm ${sample.wasm.toFixed(1)} MiB`}`,
      );
    }
    const after = samples.filter((s) => s.min >= 1);
    const xs = after.map((s) => s.min);
    const perMin = slope(
      xs,
      after.map((s) => s.rss),
    );
    const gpuPerMin = slope(
      xs,
      after.map((s) => s.gpu),
    );
    const framesPerMin = slope(
      xs,
      after.map((s) => s.frames),
    );
    const wasm = after.map((s) => s.wasm);
    const wasmText =
      wasm[0] === null || wasm[0] === undefined
        ? ''
        : `, ${variant.startsWith('engine') || variant === 'host' ? 'tfjs' : 'MediaPipe'} wasm ${wasm[0].toFixed(1)} -> ${(wasm.at(-1) ?? 0).toFixed(1)} MiB`;
    return `| ${variant} | ${framesPerMin.toFixed(0)} | ${perMin >= 0 ? '+' : ''}${perMin.toFixed(2)} | ${((perMin / framesPerMin) * 1024 * 1000).toFixed(0)} | ${gpuPerMin >= 0 ? '+' : ''}${gpuPerMin.toFixed(2)} |${wasmText}`;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const server = await startServer(0);
try {
  const rows: string[] = [];
  for (const variant of values.variant.split(',')) rows.push(await probeVariant(variant, server.url));
  console.log(
    `\n${WIDTH}x${HEIGHT} frames, ${MINUTES} min, growth after the first minute (least squares)\n` +
      '| variant | frames/min | renderer MiB/min | renderer KiB/1000 frames | GPU process MiB/min |\n|---|---|---|---|---|',
  );
  for (const row of rows) console.log(row);
} finally {
  await server.close();
}
