// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { testRoot, type TestRoot } from '../ui/test-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EMOTIONS } from '../shared/emotions';
import { parseCsv } from '../shared/csv';
import type { SessionData } from '../shared/session';
import { App } from './App';
import { MockClient } from '../ui/client';

const T0 = Date.UTC(2026, 10, 29, 14, 0, 0);

function session(id = 's1'): SessionData {
  const tl = (pid: string, emotion: number) => ({
    participantId: pid,
    t: Array.from({ length: 40 }, (_, i) => T0 + 1000 + i * 500),
    p: Array.from({ length: 40 }, () => EMOTIONS.map((_, k) => (k === emotion ? 0.7 : 0.05))),
  });
  return {
    meta: {
      id,
      title: 'Design review',
      origin: 'https://meet.example.com',
      startedAt: T0,
      endedAt: T0 + 25_000,
      samples: 80,
      participants: [
        { id: 'v1', name: 'Ada', firstSeen: T0 },
        { id: 'v2', name: 'Participant 2', firstSeen: T0 },
      ],
    },
    timelines: [tl('v1', 3), tl('v2', 4)],
  };
}

let t: TestRoot;
let root: HTMLElement;
const $ = (sel: string) => t.$(sel);
const $$ = (sel: string) => t.$$(sel);
const until = (ready: () => unknown) => t.until(ready);
beforeEach(() => {
  t = testRoot();
  root = t.el;
});
afterEach(() => {
  t.unmount();
  vi.restoreAllMocks();
});

function client(): MockClient {
  const c = new MockClient({ tabId: 7, scriptable: true, enabled: false, videos: 2, videosSeen: 2 });
  c.sessions = [session()];
  return c;
}

describe('popup', () => {
  it('asks for the first-run notice to be acknowledged before analysis can be switched on', async () => {
    const c = client();
    c.acknowledged = false;
    await act(() => render(<App client={c} />, root));
    await until(() => $('[data-testid="first-run-notice"]') && $('[data-testid="enable-switch"]'));
    const notice = root.querySelector('[data-testid="first-run-notice"]');
    expect(notice?.textContent).toMatch(/EU AI Act/);
    expect(notice?.textContent).toMatch(/not a feeling/);
    expect(notice?.textContent).toMatch(/No frame, face or score leaves your browser/);
    expect(root.querySelector<HTMLButtonElement>('[data-testid="enable-switch"]')?.disabled).toBe(true);
    await act(() => root.querySelector<HTMLButtonElement>('[data-testid="acknowledge"]')?.click());
    await until(() => !$('[data-testid="first-run-notice"]') && c.calls.includes('acknowledgeNotice'));
    expect(c.calls).toContain('acknowledgeNotice');
    expect(root.querySelector('[data-testid="first-run-notice"]')).toBeNull();
    expect(root.querySelector<HTMLButtonElement>('[data-testid="enable-switch"]')?.disabled).toBe(false);
  });

  it('offers tab-capture mode where the browser has it, and switches it on and off', async () => {
    const c = client();
    c.status = { ...c.status, captureAvailable: true };
    await act(() => render(<App client={c} />, root));
    await until(() => $('[data-testid="capture-button"]'));
    const button = () => root.querySelector<HTMLButtonElement>('[data-testid="capture-button"]');
    expect(button()?.getAttribute('aria-pressed')).toBe('false');
    await act(() => button()?.click());
    await until(() => button()?.getAttribute('aria-pressed') === 'true');
    expect(c.calls).toContain('setCapture 7 true');
    // capture needs analysis: switching capture on switched it on
    expect(root.querySelector('[data-testid="enable-switch"]')?.getAttribute('aria-checked')).toBe('true');
    expect(root.querySelector('[data-testid="capture"]')?.textContent).toMatch(/Tab capture is on/);
    await act(() => button()?.click());
    await until(() => button()?.getAttribute('aria-pressed') === 'false');
    expect(c.calls).toContain('setCapture 7 false');
  });

  it('says so next to the button when the user refuses the tabCapture permission, and stays usable', async () => {
    const c = client();
    c.status = { ...c.status, captureAvailable: true };
    c.captureGranted = false;
    await act(() => render(<App client={c} />, root));
    await until(() => $('[data-testid="capture-button"]'));
    const button = () => root.querySelector<HTMLButtonElement>('[data-testid="capture-button"]');
    await act(() => button()?.click());
    await until(() => $('[data-testid="capture-error"]'));
    expect(c.calls).toContain('setCapture 7 true');
    expect(root.querySelector('[data-testid="capture-error"]')?.textContent).toMatch(
      /not allowed to capture/,
    );
    // the view stays: capture off, analysis switch still there and usable
    expect(button()?.getAttribute('aria-pressed')).toBe('false');
    expect(button()?.disabled).toBe(false);
    expect(root.querySelector<HTMLButtonElement>('[data-testid="enable-switch"]')?.disabled).toBe(false);
    // granted on a second click: capture starts and the message goes
    c.captureGranted = true;
    await act(() => button()?.click());
    await until(() => button()?.getAttribute('aria-pressed') === 'true');
    expect(root.querySelector('[data-testid="capture-error"]')).toBeNull();
  });

  it('has no tab-capture button in a browser without tabCapture (Firefox)', async () => {
    const c = client();
    c.status = { ...c.status, captureAvailable: false };
    await act(() => render(<App client={c} />, root));
    await until(() => $('[data-testid="enable-switch"]'));
    expect(root.querySelector('[data-testid="capture-button"]')).toBeNull();
  });

  it('is the quick control: one line per participant, and the way to the side panel and the report', async () => {
    const c = client();
    c.status = { ...c.status, enabled: true };
    c.engine = { state: 'ready', backend: 'wasm', backendReason: 'wasm was the fastest that works' };
    c.liveStats = {
      sessionId: 's1',
      faces: Array.from({ length: 9 }, (_, i) => ({
        participantId: `v${i + 1}`,
        dominant: 'happy' as const,
        confidence: 0.8,
        probabilities: EMOTIONS.map((_e, k) => (k === 3 ? 0.8 : 0.2 / 6)),
        at: T0,
      })),
      fps: 4.5,
      latencyMs: 80,
    };
    await act(() => render(<App client={c} />, root));
    await until(
      () =>
        $$('[data-testid="live-face"]').length === 9 &&
        /WASM/.test($('[data-testid="live-stats"]')?.textContent ?? ''),
    );
    expect($('[data-testid="live-stats"]')?.textContent).toBe('9 faces · WASM · 4.5 frames/s · 80 ms');
    const lines = [...$$('[data-testid="live-face"]')].map((l) => l.textContent);
    expect(lines[0]).toBe('Adahappy 80%');
    expect(lines[8]).toBe('New participanthappy 80%');
    // no timeline or summary in the popup: those are the side panel's and the report's
    expect($('[data-testid="timeline"]')).toBeNull();
    expect($('[data-testid="summary"]')).toBeNull();
    await act(() => root.querySelector<HTMLButtonElement>('[data-testid="open-panel"]')?.click());
    expect(c.calls).toContain('openSidePanel 7');
    await act(() => root.querySelector<HTMLButtonElement>('[data-testid="open-report"]')?.click());
    expect(c.calls).toContain('openReport s1');
  });

  it('exports the session as CSV with a row per participant per sample', async () => {
    let blob: Blob | undefined;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blob = b as Blob;
      return 'blob:test';
    });
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    await act(() => render(<App client={client()} />, root));
    await until(() => $('[data-testid="export-csv"]'));
    await act(() => root.querySelector<HTMLButtonElement>('[data-testid="export-csv"]')?.click());
    expect(clicked).toEqual(['moodlens-meet.example.com-2026-11-29-14-00.csv']);
    const rows = parseCsv((await blob?.text()) ?? '');
    expect(rows).toHaveLength(81);
    expect(rows[1]?.[3]).toBe('Ada');
  });

  it('says how many threads the wasm back end runs, and nothing of threads when it runs one', async () => {
    const c = client();
    c.engine = {
      state: 'ready',
      backend: 'wasm',
      backendReason: 'wasm was the fastest that works',
      wasmThreads: 2,
    };
    await act(() => render(<App client={c} />, root));
    await until(() => /Engine running on/.test($('[data-testid="engine-status"]')?.textContent ?? ''));
    expect($('[data-testid="engine-status"]')?.textContent).toMatch(/Engine running on .* \(2 threads\):/);
    c.engine = { ...c.engine, wasmThreads: 1 };
    await act(() => render(<App client={c} key="single" />, root));
    await until(() => /Engine running on/.test($('[data-testid="engine-status"]')?.textContent ?? ''));
    expect($('[data-testid="engine-status"]')?.textContent).not.toMatch(/thread/);
  });

  it('switches the back end from the engine section', async () => {
    const c = client();
    c.engine = { state: 'ready', backend: 'webgl', backendReason: 'webgl was the fastest that works' };
    await act(() => render(<App client={c} />, root));
    await until(() => /Engine running on WebGL/.test($('[data-testid="engine-status"]')?.textContent ?? ''));
    const select = root.querySelector<HTMLSelectElement>('[data-testid="backend-select"]');
    if (!select) throw new Error('no back-end select');
    await act(() => {
      select.value = 'cpu';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await until(() => /Engine running on CPU/.test($('[data-testid="engine-status"]')?.textContent ?? ''));
    expect(c.calls).toContain('setBackend cpu');
    expect(root.querySelector('[data-testid="engine-status"]')?.textContent).toMatch(/Engine running on CPU/);
  });

  it('says so when there is no session yet', async () => {
    const c = client();
    c.sessions = [];
    await act(() => render(<App client={c} />, root));
    await until(() => $('[data-testid="no-sessions"]'));
    expect(root.querySelector('[data-testid="no-sessions"]')?.textContent).toMatch(/No sessions yet/);
  });
});
