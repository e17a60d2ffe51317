// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FrameReply } from '../shared/protocol';
import { PageSession } from './page-session';
import { participantOf } from './sites';
import type { FrameMeta, FrameTransport } from './transport';

vi.mock('./sites', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./sites')>();
  return { ...actual, participantOf: vi.fn(actual.participantOf) };
});

const aborts: AbortController[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
  // the overlay's upkeep runs once at the start; the sampler measures the videos itself after that
  vi.stubGlobal('requestAnimationFrame', () => 0);
  vi.mocked(participantOf).mockClear();
});
afterEach(() => {
  for (const c of aborts.splice(0)) c.abort();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  document.documentElement.replaceChildren(document.createElement('head'), document.createElement('body'));
});

/** A playing, visible 320x240 video at (x, y) on the page, in a tile named by its figcaption. */
function addTile(name: string, x: number, y: number) {
  const at = { x, y };
  const tile = document.body.appendChild(document.createElement('figure'));
  const video = tile.appendChild(document.createElement('video'));
  tile.appendChild(document.createElement('figcaption')).textContent = name;
  let rects = 0;
  let eligibilityChecks = 0;
  video.getBoundingClientRect = () => {
    rects++;
    return DOMRect.fromRect({ ...at, width: 320, height: 240 });
  };
  video.checkVisibility = () => {
    eligibilityChecks++;
    return true;
  };
  Object.defineProperty(video, 'paused', { value: false });
  /** Boxes measured other than by the eligibility check (which measures its own). */
  return {
    video,
    otherRects: () => rects - eligibilityChecks,
    moveTo: (nx: number, ny: number) => Object.assign(at, { x: nx, y: ny }),
  };
}

/** A transport that answers every frame at once (no faces) and records what it was sent. */
function recordingTransport(sent: FrameMeta[]): FrameTransport {
  return {
    name: 'jpeg',
    send: (_video, meta) => {
      sent.push(meta);
      const reply: FrameReply = {
        kind: 'result',
        ...meta,
        width: 320,
        height: 240,
        faces: [],
        timings: { detectMs: 0, cropMs: 0, classifyMs: 0, totalMs: 0 },
      };
      return Promise.resolve(reply);
    },
    close: () => undefined,
  };
}

function session(sent: FrameMeta[]): PageSession {
  const controller = new AbortController();
  aborts.push(controller);
  const s = new PageSession({
    doc: document,
    signal: controller.signal,
    report: () => undefined,
    transport: () => recordingTransport(sent),
  });
  s.setEnabled(true);
  return s;
}

describe('PageSession sampling', () => {
  it('reads the tile’s name once per few seconds, not on every sampled frame', async () => {
    const { otherRects } = addTile('Ada Lovelace', 10, 20);
    const sent: FrameMeta[] = [];
    session(sent);
    await vi.advanceTimersByTimeAsync(2500);
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(sent.every((m) => m.label === 'Ada Lovelace')).toBe(true);
    // one look for the site's participant key when the video is first seen, one for its name
    expect(vi.mocked(participantOf).mock.calls.length).toBeLessThanOrEqual(2);
    // nor its place (besides the sampler's eligibility check, which measures the video for its own use)
    expect(otherRects()).toBeLessThanOrEqual(2);
  });

  it('keeps the participant of a video the page re-creates in the same place with the same name', async () => {
    const first = addTile('Ada Lovelace', 10, 20);
    addTile('Grace Hopper', 400, 20);
    const sent: FrameMeta[] = [];
    session(sent);
    await vi.advanceTimersByTimeAsync(2000);
    const idOf = (name: string) => sent.findLast((m) => m.label === name)?.sourceId;
    const ada = idOf('Ada Lovelace');
    const grace = idOf('Grace Hopper');
    expect(ada).toBeDefined();
    expect(grace).not.toBe(ada);
    first.video.parentElement?.remove();
    await vi.advanceTimersByTimeAsync(500);
    addTile('Ada Lovelace', 10, 20);
    sent.length = 0;
    await vi.advanceTimersByTimeAsync(2000);
    expect(idOf('Ada Lovelace')).toBe(ada);
    expect(idOf('Grace Hopper')).toBe(grace);
  });

  it('remembers where a tile was a few seconds before its video left, for one re-created there', async () => {
    const tile = addTile('Ada Lovelace', 10, 20);
    const sent: FrameMeta[] = [];
    session(sent);
    await vi.advanceTimersByTimeAsync(1000);
    const ada = sent.at(-1)?.sourceId;
    // the grid changes: the tile moves, then the page re-creates its video in the new place
    tile.moveTo(600, 400);
    await vi.advanceTimersByTimeAsync(4000);
    tile.video.parentElement?.remove();
    await vi.advanceTimersByTimeAsync(500);
    addTile('Ada Lovelace', 600, 400);
    sent.length = 0;
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.at(-1)?.sourceId).toBe(ada);
  });
});
