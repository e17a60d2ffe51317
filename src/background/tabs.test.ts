import { describe, expect, it, vi } from 'vitest';
import type { VideoReport } from '../shared/protocol';

/** storage.session in memory, the tab's URL, and the content script's answer to the switch. */
const fake = vi.hoisted(() => ({
  session: new Map<string, unknown>(),
  tabUrl: 'https://meet.example.com/abc',
  answerSwitch: undefined as undefined | ((enabled: boolean) => Promise<unknown>),
  /** What happens while the offscreen capture starts; the captures stopped. */
  captureStarting: undefined as undefined | (() => Promise<void>),
  capturesStopped: 0,
}));
const later = () => new Promise((resolve) => setTimeout(resolve, 0));
vi.mock('../shared/platform', () => ({
  TOP_FRAME: 0,
  toTab: (tabId: number, frameId?: number) => ({ tabId, frameId }),
  browser: {
    tabs: { get: (id: number) => Promise.resolve({ id, url: fake.tabUrl }) },
    action: { setBadgeText: () => Promise.resolve(), setBadgeBackgroundColor: () => Promise.resolve() },
    runtime: { getManifest: () => ({ permissions: [] }) },
    storage: {
      session: {
        get: async (key: string) => {
          await later();
          return fake.session.has(key) ? { [key]: structuredClone(fake.session.get(key)) } : {};
        },
        set: async (items: Record<string, unknown>) => {
          await later();
          for (const [k, v] of Object.entries(items)) fake.session.set(k, structuredClone(v));
        },
        remove: async (keys: string[]) => {
          await later();
          for (const k of keys) fake.session.delete(k);
        },
      },
    },
  },
}));
vi.mock('../shared/messaging', () => ({
  send: (_to: unknown, name: string, payload: { enabled: boolean }) =>
    name === 'bg>content:setEnabled' && fake.answerSwitch
      ? fake.answerSwitch(payload.enabled)
      : name === 'bg>content:setCapture'
        ? Promise.resolve({ ok: true })
        : Promise.reject(new Error(`no content script answers ${name}`)),
}));
vi.mock('./content-injection', () => ({
  ensureContent: () => Promise.resolve({ report: report(fake.tabUrl, false), frames: [] }),
}));
vi.mock('./engine-connection', () => ({
  startTabCapture: () => fake.captureStarting?.() ?? Promise.resolve(),
  stopTabCapture: () => {
    fake.capturesStopped++;
    return Promise.resolve();
  },
}));

const { getTabState, patchTabState, updateTabState, clearTabState } = await import('./tab-state');
const { TabLifecycle } = await import('./tab-lifecycle');
const { endCapture, setEnabled, startCapture, stopCapture } = await import('./tabs');

const TAB = 4;
const MEET = 'https://meet.example.com/abc';
const ELSEWHERE = 'https://video.example.org/watch';

function report(url: string, enabled: boolean): VideoReport {
  return { videos: 1, videosSeen: 1, enabled, url, title: 'Call' };
}

function lifecycleOf(ended: number[]) {
  return new TabLifecycle({
    getState: getTabState,
    patchState: patchTabState,
    updateState: updateTabState,
    clearState: clearTabState,
    endSession: (tabId) => Promise.resolve(void ended.push(tabId)),
    showBadge: () => Promise.resolve(),
    stopCapture: (tabId) => endCapture(tabId),
    stopContent: () => Promise.resolve(),
    setFramesEnabled: () => Promise.resolve(),
    autoStarts: () => Promise.resolve(false),
  });
}

describe("the popup's switch (tabs.setEnabled)", () => {
  it('switches the page on through the tab’s turn', async () => {
    fake.session.clear();
    const lifecycle = lifecycleOf([]);
    await lifecycle.hello(TAB, report(MEET, false));
    fake.answerSwitch = (enabled) => Promise.resolve(report(MEET, enabled));
    const status = await setEnabled(lifecycle, TAB, true);
    expect(status.enabled).toBe(true);
    expect((await getTabState(TAB)).enabled).toBe(true);
  });

  it('leaves the tab off when it moved to another origin while the old page answered "on"', async () => {
    fake.session.clear();
    const ended: number[] = [];
    const lifecycle = lifecycleOf(ended);
    await lifecycle.hello(TAB, report(MEET, false));
    // the page answers the switch as the tab leaves it: the browser's URL change is handled first
    fake.answerSwitch = async (enabled) => {
      await lifecycle.navigated(TAB, ELSEWHERE);
      return report(MEET, enabled);
    };
    const status = await setEnabled(lifecycle, TAB, true);
    expect(status.enabled).toBe(false);
    expect(await getTabState(TAB)).toMatchObject({ enabled: false, url: ELSEWHERE });
  });

  it('ends the session when switched off', async () => {
    fake.session.clear();
    const ended: number[] = [];
    const lifecycle = lifecycleOf(ended);
    await lifecycle.hello(TAB, report(MEET, false));
    fake.answerSwitch = (enabled) => Promise.resolve(report(MEET, enabled));
    await setEnabled(lifecycle, TAB, true);
    ended.length = 0;
    expect((await setEnabled(lifecycle, TAB, false)).enabled).toBe(false);
    expect(ended).toEqual([TAB]);
  });
});

describe("the popup's tab capture (tabs.startCapture, tabs.stopCapture)", () => {
  it('records the capture in the tab’s turn, and its end', async () => {
    fake.session.clear();
    fake.captureStarting = undefined;
    const lifecycle = lifecycleOf([]);
    await lifecycle.hello(TAB, report(MEET, false));
    fake.answerSwitch = (enabled) => Promise.resolve(report(MEET, enabled));
    expect(await startCapture(lifecycle, TAB, 'stream-1')).toMatchObject({ capture: true, enabled: true });
    expect((await stopCapture(lifecycle, TAB)).capture).toBe(false);
    expect((await getTabState(TAB)).capture).toBe(false);
  });

  it('stops the capture, and leaves it off, when the tab moved to another origin while it started', async () => {
    fake.session.clear();
    const lifecycle = lifecycleOf([]);
    await lifecycle.hello(TAB, report(MEET, false));
    fake.answerSwitch = (enabled) => Promise.resolve(report(MEET, enabled));
    fake.capturesStopped = 0;
    // the tab leaves for another site while the offscreen document starts reading it
    fake.captureStarting = () => lifecycle.navigated(TAB, ELSEWHERE);
    const status = await startCapture(lifecycle, TAB, 'stream-1');
    fake.captureStarting = undefined;
    expect(status.capture).toBe(false);
    expect(await getTabState(TAB)).toMatchObject({ capture: false, url: ELSEWHERE, enabled: false });
    expect(fake.capturesStopped).toBe(1);
  });
});
