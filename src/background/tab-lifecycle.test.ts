import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { EMOTIONS } from '../shared/emotions';
import type { FrameResult, VideoReport } from '../shared/protocol';
import { SessionStore } from '../shared/session-store';
import { SessionRecorder } from './session-recorder';
import { TabLifecycle } from './tab-lifecycle';

/** browser.storage.session, in memory; every call takes a few macrotasks, as the real one does. */
const session = new Map<string, unknown>();
const later = () => new Promise((resolve) => setTimeout(resolve, 0));
vi.mock('../shared/platform', () => ({
  browser: {
    storage: {
      session: {
        get: async (key: string) => {
          await later();
          return session.has(key) ? { [key]: structuredClone(session.get(key)) } : {};
        },
        set: async (items: Record<string, unknown>) => {
          await later();
          for (const [k, v] of Object.entries(items)) session.set(k, structuredClone(v));
        },
        remove: async (keys: string[]) => {
          await later();
          for (const k of keys) session.delete(k);
        },
      },
    },
  },
}));
const { clearTabState, getTabState, patchTabState, tabVideos, updateTabState } = await import('./tab-state');

const TAB = 7;
const MEET = 'https://meet.example.com/landing';
const ROOM = 'https://meet.example.com/abc-defg-hij';
const ELSEWHERE = 'https://video.example.org/watch';
let n = 0;

function report(url: string, enabled: boolean): VideoReport {
  return { videos: 2, videosSeen: 2, enabled, url, title: 'Weekly sync' };
}

function frame(t: number): FrameResult {
  const p = EMOTIONS.map((_, k) => (k === 3 ? 0.76 : 0.04));
  const face = {
    trackId: 1,
    primary: true,
    box: { x: 0, y: 0, width: 100, height: 100 },
    probabilities: p,
    dominant: 'happy',
    confidence: 0.76,
  };
  return {
    kind: 'result',
    sourceId: 'v1',
    timestamp: t,
    width: 640,
    height: 360,
    faces: [face],
    timings: { detectMs: 1, cropMs: 1, classifyMs: 1, totalMs: 3 },
  };
}

/** The background's wiring (index.ts, sessions.ts) around the real tab state, over the stubbed storage. */
async function setup(autoStartUrls: string[] = [ROOM]) {
  // the first page starts by itself; after it, only `autoStartUrls` do
  const autoStart = new Set([MEET]);
  session.clear();
  const storePromise = SessionStore.open(`lifecycle-${++n}`);
  const recorder = new SessionRecorder(() => storePromise, {
    get: async (tabId) => {
      const { sessionId, enabled } = await getTabState(tabId);
      return { sessionId, recording: enabled };
    },
    set: async (tabId, sessionId) => {
      const previous = (await getTabState(tabId)).sessionId;
      await patchTabState(
        tabId,
        sessionId ? { sessionId } : { sessionId: undefined, lastSessionId: previous },
      );
    },
  });
  const badge = new Map<number, boolean>();
  const stops: number[] = [];
  const captureStops: number[] = [];
  const framesTold: [number, boolean][] = [];
  const lifecycle = new TabLifecycle({
    getState: getTabState,
    patchState: patchTabState,
    updateState: updateTabState,
    clearState: clearTabState,
    endSession: (tabId) => recorder.end(tabId),
    showBadge: async (tabId, on) => {
      await later();
      badge.set(tabId, on);
    },
    stopContent: async (tabId) => {
      await later();
      stops.push(tabId);
    },
    stopCapture: async (tabId) => {
      captureStops.push(tabId);
      await patchTabState(tabId, { capture: false });
    },
    setFramesEnabled: async (tabId, on) => {
      await later();
      framesTold.push([tabId, on]);
    },
    autoStarts: (url) => Promise.resolve(autoStart.has(url)),
  });
  /** A frame from the page, recorded as index.ts does (only while analysis is on). */
  const record = async (t: number) => {
    const state = await getTabState(TAB);
    if (state.enabled) await recorder.record(TAB, { title: '', url: state.url ?? '' }, frame(t));
  };
  // the page is open with analysis on, and a session records it
  expect(await lifecycle.hello(TAB, report(MEET, false))).toBe(true);
  await record(1);
  const first = (await getTabState(TAB)).sessionId;
  expect(first).toBeDefined();
  autoStart.clear();
  for (const url of autoStartUrls) autoStart.add(url);
  return {
    lifecycle,
    record,
    badge,
    stops,
    captureStops,
    framesTold,
    first: first as string,
    store: () => storePromise,
  };
}

type Order = 'the URL change first' | 'the page first';
const ORDERS: Order[] = ['the URL change first', 'the page first'];

/** Starts both events, in `order`, without waiting for the first before the second. */
async function race(order: Order, urlChange: () => Promise<unknown>, page: () => Promise<unknown>) {
  await Promise.all(order === 'the URL change first' ? [urlChange(), page()] : [page(), urlChange()]);
}

describe('TabLifecycle: a route change within the origin (single-page app)', () => {
  it.each(ORDERS)('keeps analysis on and the same session, with %s', async (order) => {
    const { lifecycle, record, badge, stops, first, store } = await setup();
    await race(
      order,
      () => lifecycle.navigated(TAB, ROOM),
      () => lifecycle.reported(TAB, report(ROOM, true)),
    );
    await record(2);
    const state = await getTabState(TAB);
    expect(state).toMatchObject({ enabled: true, url: ROOM, sessionId: first });
    expect(badge.get(TAB)).toBe(true);
    expect(stops).toEqual([]);
    const sessions = await (await store()).list();
    expect(sessions.map((s) => [s.id, s.endedAt, s.samples])).toEqual([[first, undefined, 2]]);
  });

  it('keeps the session when a new document of the same origin starts where analysis was on', async () => {
    const { lifecycle, record, first } = await setup([]);
    await lifecycle.navigated(TAB, ROOM);
    expect(await lifecycle.hello(TAB, report(ROOM, false))).toBe(true);
    await record(2);
    expect(await getTabState(TAB)).toMatchObject({ enabled: true, url: ROOM, sessionId: first });
  });
});

describe('TabLifecycle: a move to another origin', () => {
  it.each(ORDERS)(
    'ends the session, switches analysis off and the badge, with %s (no auto-start there)',
    async (order) => {
      const { lifecycle, record, badge, first, store } = await setup();
      let enabled: boolean | undefined;
      await race(
        order,
        () => lifecycle.navigated(TAB, ELSEWHERE),
        async () => (enabled = await lifecycle.hello(TAB, report(ELSEWHERE, false))),
      );
      await record(2);
      expect(enabled).toBe(false);
      const state = await getTabState(TAB);
      expect(state).toMatchObject({ enabled: false, url: ELSEWHERE, lastSessionId: first });
      expect(state.sessionId).toBeUndefined();
      expect(badge.get(TAB)).toBe(false);
      const sessions = await (await store()).list();
      expect(sessions).toHaveLength(1);
      expect(sessions[0]?.endedAt).toBeDefined();
    },
  );

  it.each(ORDERS)(
    'ends the session and starts a new one where analysis starts by itself, with %s',
    async (order) => {
      const { lifecycle, record, badge, first, store } = await setup([ELSEWHERE]);
      let enabled: boolean | undefined;
      await race(
        order,
        () => lifecycle.navigated(TAB, ELSEWHERE),
        async () => (enabled = await lifecycle.hello(TAB, report(ELSEWHERE, false))),
      );
      await record(2);
      expect(enabled).toBe(true);
      const state = await getTabState(TAB);
      expect(state).toMatchObject({ enabled: true, url: ELSEWHERE, lastSessionId: first });
      expect(state.sessionId).toBeDefined();
      expect(state.sessionId).not.toBe(first);
      expect(badge.get(TAB)).toBe(true);
      const sessions = await (await store()).list();
      expect(sessions.find((s) => s.id === first)?.endedAt).toBeDefined();
      expect(sessions).toHaveLength(2);
    },
  );

  it.each(ORDERS)(
    'drops the left page’s last report and tells its content script to stop, with %s',
    async (order) => {
      const { lifecycle, record, badge, stops, first } = await setup();
      // the old document's script switches off as it unloads and says so, with its own URL
      await race(
        order,
        () => lifecycle.navigated(TAB, ELSEWHERE),
        () => lifecycle.reported(TAB, report(MEET, false)),
      );
      await record(2);
      const state = await getTabState(TAB);
      expect(state).toMatchObject({ enabled: false, url: ELSEWHERE, lastSessionId: first });
      expect(state.sessionId).toBeUndefined();
      expect(badge.get(TAB)).toBe(false);
      expect(stops).toEqual([TAB]);
    },
  );
});

describe('TabLifecycle: tab-capture mode', () => {
  it('ends the capture when the tab moves to another origin, and keeps it within the origin', async () => {
    const { lifecycle, captureStops } = await setup();
    await patchTabState(TAB, { capture: true });
    await lifecycle.navigated(TAB, ROOM);
    expect(captureStops).toEqual([]);
    expect((await getTabState(TAB)).capture).toBe(true);
    await lifecycle.navigated(TAB, ELSEWHERE);
    expect(captureStops).toEqual([TAB]);
    expect(await getTabState(TAB)).toMatchObject({ capture: false, enabled: false, url: ELSEWHERE });
  });
});

describe('TabLifecycle: other events', () => {
  it('keeps the choice of a page whose content script is injected again, and drops state of a closed tab', async () => {
    const { lifecycle, first, store } = await setup([]);
    expect(await lifecycle.hello(TAB, report(MEET, false))).toBe(true);
    expect((await getTabState(TAB)).sessionId).toBe(first);
    await lifecycle.closed(TAB);
    expect(session.size).toBe(0);
    expect((await (await store()).getMeta(first))?.endedAt).toBeDefined();
  });

  it('ignores URL changes of a tab it never saw a page of', async () => {
    const { lifecycle, stops } = await setup();
    await lifecycle.navigated(99, ELSEWHERE);
    expect(session.has('tab:99')).toBe(false);
    expect(stops).toEqual([]);
  });
});

describe('TabLifecycle: a call embedded in a frame below the top one', () => {
  const EMBED = 'https://embed.example.net/room';

  it('counts its videos for the tab and follows the tab, never changing the page or its session', async () => {
    const { lifecycle, record, first } = await setup();
    // two frames start at once; each reports videos of its own
    const [a, b] = await Promise.all([
      lifecycle.frameHello(TAB, 3, { ...report(EMBED, false), videos: 4, videosSeen: 5 }),
      lifecycle.frameHello(TAB, 5, { ...report(EMBED, false), videos: 1, videosSeen: 1, unreadable: 1 }),
    ]);
    expect([a, b]).toEqual([true, true]);
    // a frame's report saying it is off, from another origin, neither ends the session nor moves the page
    await lifecycle.frameReported(TAB, 3, { ...report(EMBED, false), videos: 3, videosSeen: 3 });
    await record(2);
    const state = await getTabState(TAB);
    expect(state).toMatchObject({ enabled: true, url: MEET, title: 'Weekly sync', sessionId: first });
    expect(tabVideos(state)).toEqual({
      videos: 2 + 3 + 1,
      videosSeen: 2 + 3 + 1,
      unreadable: 1,
      unreadableReason: undefined,
    });
  });

  it('answers off to a frame while the tab is off, and tells the frames when the top frame turns on', async () => {
    const { lifecycle, framesTold } = await setup([]);
    await lifecycle.reported(TAB, report(MEET, false));
    // the frame's script said hello while the top frame's was off (between its hello and its switch)
    expect(await lifecycle.frameHello(TAB, 3, report(EMBED, false))).toBe(false);
    framesTold.length = 0;
    await lifecycle.reported(TAB, report(MEET, true));
    await lifecycle.reported(TAB, report(MEET, true));
    expect(framesTold).toEqual([[TAB, true]]);
  });
});

describe("TabLifecycle: the popup's look at the tab", () => {
  it('records the videos found and the frames present, never whether the page analyses', async () => {
    const { lifecycle } = await setup();
    await lifecycle.frameHello(TAB, 3, { ...report(MEET, false), videos: 4, videosSeen: 4 });
    await lifecycle.frameHello(TAB, 5, { ...report(MEET, false), videos: 1, videosSeen: 1 });
    // the top frame's script has not had its hello answered: it says off, with 3 videos; frame 5 is gone
    const state = await lifecycle.found(TAB, { ...report(MEET, false), videos: 3, videosSeen: 3 }, [3]);
    expect(state.enabled).toBe(true);
    expect(tabVideos(state)).toMatchObject({ videos: 3 + 4, videosSeen: 3 + 4 });
  });
});

describe('TabLifecycle: what a report leaves out', () => {
  it('clears the frame path note and the unreadable reason an earlier report gave (a message drops undefined fields)', async () => {
    const { lifecycle } = await setup();
    await lifecycle.reported(TAB, {
      ...report(MEET, true),
      transport: 'jpeg',
      transportNote: 'the background has not answered this page yet',
      unreadable: 1,
      unreadableReason: 'cross-origin video',
    });
    // the next report, as it arrives after a message: no keys for what is undefined
    await lifecycle.reported(TAB, { ...report(MEET, true), transport: 'bitmap', unreadable: 0 });
    const state = await getTabState(TAB);
    expect(state.transport).toBe('bitmap');
    expect(state.transportNote).toBeUndefined();
    expect(state.unreadableReason).toBeUndefined();
  });
});
