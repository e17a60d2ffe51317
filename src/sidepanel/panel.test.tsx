// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EMOTIONS } from '../shared/emotions';
import type { SessionData } from '../shared/session';
import { MockClient } from '../ui/client';
import { testRoot, type TestRoot } from '../ui/test-dom';
import { PanelApp } from './PanelApp';

const T0 = Date.UTC(2026, 10, 30, 14, 0, 0);
const at = (e: (typeof EMOTIONS)[number], p = 0.7) => EMOTIONS.map((x) => (x === e ? p : (1 - p) / 6));

function session(id: string, people: number, ended: boolean): SessionData {
  const ids = Array.from({ length: people }, (_, i) => `v${i + 1}`);
  return {
    meta: {
      id,
      title: 'Weekly call',
      origin: 'https://meet.example.com',
      startedAt: T0,
      ...(ended ? { endedAt: T0 + 25_000 } : {}),
      samples: people * 40,
      participants: ids.map((pid, i) => ({
        id: pid,
        name: i === 0 ? 'Ada' : `Participant ${i + 1}`,
        firstSeen: T0,
      })),
    },
    timelines: ids.map((pid, i) => ({
      participantId: pid,
      t: Array.from({ length: 40 }, (_, k) => T0 + 1000 + k * 500),
      p: Array.from({ length: 40 }, () => at(i % 2 ? 'sad' : 'happy')),
    })),
  };
}

let t: TestRoot;
beforeEach(() => {
  t = testRoot();
});
afterEach(() => {
  t.unmount();
  vi.restoreAllMocks();
});

function running(people = 2): MockClient {
  const c = new MockClient({ tabId: 7, scriptable: true, enabled: true, videos: people, videosSeen: people });
  c.sessions = [session('s1', people, false)];
  c.liveStats = { sessionId: 's1', faces: [], fps: 4, latencyMs: 50 };
  return c;
}

const rows = () => [...t.$$('[data-testid="live-row"]')] as HTMLElement[];

describe('side panel', () => {
  it('shows a row per participant and adds pushed samples without reading the session again', async () => {
    const c = running();
    const getSession = vi.spyOn(c, 'getSession');
    await act(() => render(<PanelApp client={c} />, t.el));
    await t.until(() => rows().length === 2 && rows()[0]?.dataset.samples === '40', 'the seeded rows');
    expect(rows().map((r) => r.querySelector('.pname')?.textContent.replace(/ rename$/, ''))).toEqual([
      'Ada',
      'Participant 2',
    ]);
    expect(c.sampleWatchers(7)).toBe(1);
    for (let k = 0; k < 10; k++)
      c.pushSamples(7, [
        { participantId: 'v1', t: T0 + 21_000 + k * 500, p: at('surprise', 0.9) },
        { participantId: 'v2', t: T0 + 21_000 + k * 500, p: at('neutral') },
      ]);
    await t.until(() => rows()[0]?.dataset.samples === '50', 'the pushed samples');
    expect(rows()[0]?.querySelector('[data-testid="live-emotion"]')?.textContent).toBe('surprise 90%');
    expect(getSession).toHaveBeenCalledTimes(1);
    // the strip's text alternative: shares and trend
    expect(rows()[0]?.querySelector('svg')?.getAttribute('aria-label')).toMatch(
      /^Ada, last 3 minutes: happy 80%, surprise 20%; valence (rising|falling|steady)\.$/,
    );
    // the mood now, and the surprise as a notable moment
    expect(t.$('[data-testid="mood-now"]')?.textContent).toMatch(/Mood now: (positive|neutral|negative)/);
    expect(t.$('[data-testid="moments"]')?.textContent).toMatch(/0:21 · Ada — surprise 90%/);
  });

  it('follows the active tab', async () => {
    const c = running();
    await act(() => render(<PanelApp client={c} />, t.el));
    await t.until(() => t.$('[data-testid="panel"]')?.getAttribute('data-tab') === '7');
    await act(() => c.activate(8));
    await t.until(() => t.$('[data-testid="panel"]')?.getAttribute('data-tab') === '8');
    expect(c.sampleWatchers(7)).toBe(0);
    expect(c.sampleWatchers(8)).toBe(1);
  });

  it('draws everyone at once: 9 people in 16 px rows, 25 in 10 px rows, each with a text alternative', async () => {
    for (const [people, height] of [
      [9, '16'],
      [25, '10'],
    ] as const) {
      const c = running(people);
      await act(() => render(<PanelApp client={c} />, t.el));
      await t.until(() => t.$$('[data-testid="overview-row"]').length === people, `${people} overview rows`);
      const svgs = [...t.$$('[data-testid="overview-row"] svg')];
      expect(svgs.every((s) => s.getAttribute('height') === height)).toBe(true);
      expect(svgs[1]?.getAttribute('aria-label')).toMatch(
        /^Participant 2, session so far: sad 100%; valence steady\.$/,
      );
      expect(svgs[0]?.querySelectorAll('rect').length).toBeGreaterThan(0);
      render(null, t.el);
    }
  });

  it('shows the session summary once the session ends, and renames there', async () => {
    const c = running();
    c.sessions = [session('s1', 2, true)];
    c.liveStats = { sessionId: undefined, lastSessionId: 's1', faces: [], fps: 0, latencyMs: undefined };
    await act(() => render(<PanelApp client={c} />, t.el));
    await t.until(() => t.$$('[data-testid="participant-summary"]').length === 2, 'the summary');
    expect(t.$$('[data-testid="timeline"]')).toHaveLength(2);
    expect(t.$('[data-testid="call-mood"]')?.textContent).toMatch(/Mood of the call: .*mostly/);
    await act(() => (t.$$('[data-testid="rename"]')[1] as HTMLButtonElement).click());
    const input = t.$('[data-testid="rename-input"]') as HTMLInputElement;
    await act(() => {
      input.value = 'Grace';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(() => {
      input.form?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await t.until(() =>
      [...t.$$('[data-testid="participant-summary"] h3')].some((h) => h.textContent === 'Grace'),
    );
    expect(c.calls).toContain('rename s1 v2 Grace');
  });

  it("offers Chrome's toolbar-button setting", async () => {
    const c = running();
    await act(() => render(<PanelApp client={c} panelSetting />, t.el));
    await t.until(() => t.$('[data-testid="panel-on-action"]'));
    await act(() => (t.$('[data-testid="panel-on-action"]') as HTMLInputElement).click());
    await t.until(() => c.settings.openPanelOnAction);
    expect(c.calls).toContain('saveSettings {"openPanelOnAction":true}');
  });
});
