/**
 * The extension page's engine (ExtensionPageEngine) in headless Chromium (WebGPU on SwiftShader
 * here): it picks its
 * detector delegate by probe, survives a lost WebGPU device or WebGL context by moving to another
 * back end without losing its tracks, applies a back-end override at run time, and reports a model
 * that fails to load as a status, once, without a retry loop.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pagesChromium } from './pages-chromium.ts';
import type { RunningServer } from '../../scripts/serve.ts';
import type { EngineStatus, FrameReply } from '../../src/shared/protocol.ts';

let server: RunningServer;
let browser: Browser;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const launched = await pagesChromium({ webgpu: true });
  ({ server, browser } = launched);
  cleanups.push(launched.close);
});

afterAll(async () => {
  for (const undo of cleanups.reverse()) await undo();
});

interface PageEngineTest {
  start(): Promise<EngineStatus>;
  status(): EngineStatus;
  analyse(picture: string, sourceId?: string): Promise<FrameReply>;
  loseDevice(): string;
  setBackend(b: string): Promise<EngineStatus>;
  forget(id: string): void;
  sources(): string[];
  loads(): number;
  tensors(): number;
}

async function enginePage(query: string, requests?: string[]): Promise<Page> {
  const page = await browser.newPage();
  cleanups.push(() => page.close());
  if (requests) page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${server.url}pages/tests/pages/extension-page-engine.html?${query}`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  return page;
}

/** Calls window.pageEngineTest[method](...args) in the page. */
function call<K extends keyof PageEngineTest>(
  page: Page,
  method: K,
  ...args: Parameters<PageEngineTest[K]>
): Promise<Awaited<ReturnType<PageEngineTest[K]>>> {
  return page.evaluate(
    ([m, a]) => {
      const engine = (window as unknown as { pageEngineTest: Record<string, (...x: unknown[]) => unknown> })
        .pageEngineTest;
      return engine[m]?.(...a) as never;
    },
    [method, args] as const,
  );
}

const PHOTO = '/fixtures/photos/solvay-curie.jpg';

function faces(reply: FrameReply) {
  if (reply.kind !== 'result') throw new Error(`no result: ${JSON.stringify(reply)}`);
  return reply.faces;
}

describe('the extension page engine', () => {
  it.each(['webgpu', 'webgl'])(
    'keeps analysing after the %s device is lost: another back end, the same track',
    { timeout: 300_000 },
    async (backend) => {
      const page = await enginePage(`backend=${backend}&delegate=CPU&probeTimeoutMs=200000`);
      const started = await call(page, 'start');
      expect(started.error).toBeUndefined();
      expect(started.backend, started.backendReason).toBe(backend);
      expect(started.backendReason).toMatch(/as set in the settings/);
      const before = faces(await call(page, 'analyse', PHOTO));
      expect(before).toHaveLength(1);

      expect(await call(page, 'loseDevice')).toBe(backend);
      const after = faces(await call(page, 'analyse', PHOTO));
      const status = await call(page, 'status');

      expect(status.state).toBe('ready');
      expect(status.backend).not.toBe(backend);
      expect(['webgpu', 'webgl', 'wasm']).toContain(status.backend);
      expect(status.recoveries).toBe(1);
      expect(status.failedBackends?.map((f) => f.name)).toEqual([backend]);
      expect(status.failedBackends?.[0]?.error).toMatch(/lost/i);
      expect(status.backendReason).toMatch(new RegExp(`${backend} stopped working.*switched to`));
      // the session goes on: the same face keeps its track, and its answer is a real one
      expect(after).toHaveLength(1);
      expect(after[0]?.trackId).toBe(before[0]?.trackId);
      expect(after[0]?.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(Math.max(...(after[0]?.probabilities ?? [1]))).toBeLessThan(1);
      expect(after[0]?.dominant).toBe(before[0]?.dominant);
    },
  );

  it(
    'probes the detector delegates, applies a back-end override at run time, and forgets sources',
    {
      timeout: 300_000,
    },
    async () => {
      const page = await enginePage('');
      const status = await call(page, 'start');
      expect(status.state).toBe('ready');
      expect(status.detector).toMatch(/^mediapipe-blazeface-short\/(CPU|GPU)$/);
      // both delegates were timed, or the GPU one said why it cannot run or was not tried
      expect(status.detectorReason).toMatch(
        /CPU delegate: [\d.]+ ms per frame|GPU delegate: [\d.]+ ms per frame|the GPU delegate was not tried: (no WebGL|WebGL here runs in software)/,
      );
      expect(status.detectorReason).toMatch(/GPU/);
      expect(status.override).toBeUndefined();
      // a back end that is absent or software-only here (SwiftShader) is not probed, and says why
      for (const p of status.probes ?? [])
        if (!p.ok && p.name !== 'wasm') expect(p.error).toMatch(/^not probed: |not available|did not answer/);
      expect(status.startup?.totalMs).toBeGreaterThan(0);
      expect(status.choice).toMatchObject({
        backend: status.backend,
        detector: status.detector?.split('/')[1],
      });

      const first = faces(await call(page, 'analyse', PHOTO, 'a'));
      const cpu = await call(page, 'setBackend', 'cpu');
      expect(cpu.backend).toBe('cpu');
      expect(cpu.override).toBe('cpu');
      const onCpu = faces(await call(page, 'analyse', PHOTO, 'a'));
      expect(onCpu[0]?.trackId).toBe(first[0]?.trackId);
      const auto = await call(page, 'setBackend', 'auto');
      expect(auto.override).toBeUndefined();
      expect(auto.backend).not.toBe('cpu');

      await call(page, 'analyse', PHOTO, 'b');
      expect((await call(page, 'sources')).sort()).toEqual(['a', 'b']);
      await call(page, 'forget', 'a');
      expect(await call(page, 'sources')).toEqual(['b']);
    },
  );

  it(
    'reports a model that fails to load as a status, once, and answers frames with the reason',
    {
      timeout: 120_000,
    },
    async () => {
      const requests: string[] = [];
      const page = await enginePage('model=models/missing&delegate=CPU', requests);
      const status = await call(page, 'start');
      expect(status.state).toBe('error');
      expect(status.error).toBe('the model file models/missing/model.json is missing from the package (404)');
      const replies = await Promise.all([1, 2, 3].map(() => call(page, 'analyse', PHOTO)));
      for (const r of replies) expect(r).toEqual({ kind: 'unavailable', reason: status.error });
      expect(await call(page, 'loads')).toBe(1);
      expect(requests.filter((p) => p === '/models/missing/model.json')).toHaveLength(1);
    },
  );
});
