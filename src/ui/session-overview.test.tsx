// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../shared/emotions';
import type { SessionData } from '../shared/session';
import { MockClient } from './client';
import { SessionReport } from './SessionReport';
import { testRoot, type TestRoot } from './test-dom';

const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);
const at = (e: (typeof EMOTIONS)[number], p = 0.7) => EMOTIONS.map((x) => (x === e ? p : (1 - p) / 6));

/** Ten minutes, two people; Ada surprised at 5:00. */
function session(): SessionData {
  const t = Array.from({ length: 600 }, (_, i) => T0 + i * 1000);
  return {
    meta: {
      id: 's1',
      title: 'Planning',
      origin: 'https://meet.example.com',
      startedAt: T0,
      endedAt: T0 + 600_000,
      samples: 1200,
      participants: [
        { id: 'v1', name: 'Ada', firstSeen: T0 },
        { id: 'v2', name: 'Grace', firstSeen: T0 },
      ],
    },
    timelines: [
      { participantId: 'v1', t, p: t.map((_, i) => (i === 300 ? at('surprise', 0.9) : at('happy'))) },
      { participantId: 'v2', t, p: t.map(() => at('neutral')) },
    ],
  };
}

let t: TestRoot;
afterEach(() => t.unmount());

async function report(width = 880) {
  t = testRoot();
  const c = new MockClient({ tabId: 1, scriptable: true, enabled: false, videos: 0, videosSeen: 0 });
  c.sessions = [session()];
  await act(() => render(<SessionReport client={c} sessionId="s1" width={width} rowHeight={60} />, t.el));
  await t.until(() => t.$$('[data-testid="timeline"]').length === 2 && t.$('[data-testid="summary"]'));
}

const shown = () => [...t.$$('[data-testid="timeline"]')].map((f) => (f as HTMLElement).dataset.shown);
const zoomText = () => t.$('[data-testid="zoom-text"]')?.textContent;

describe('the report of a long session', () => {
  it('shows everyone over the session, and zooms the timelines with the From and To sliders', async () => {
    await report();
    expect(t.$$('[data-testid="overview-row"]')).toHaveLength(2);
    expect(t.$('[data-testid="overview-row"] svg')?.getAttribute('aria-label')).toMatch(
      /^Ada, whole session: happy 100%; valence steady\.$/,
    );
    expect(shown()).toEqual(['600', '600']);
    const from = t.$('[data-testid="zoom-from"]') as HTMLInputElement;
    await act(() => {
      from.value = '120';
      from.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const to = t.$('[data-testid="zoom-to"]') as HTMLInputElement;
    await act(() => {
      to.value = '180';
      to.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(zoomText()).toBe('Timelines from 2:00 to 3:00');
    expect(shown()).toEqual(['61', '61']);
    expect(t.$('[data-testid="brush-window"]')).not.toBeNull();
    await act(() => (t.$('[data-testid="zoom-reset"]') as HTMLButtonElement).click());
    expect(zoomText()).toBe('Timelines: the whole session');
    expect(shown()).toEqual(['600', '600']);
  });

  it('links each notable moment to its place: the minute around it, in its participant’s timeline', async () => {
    await report();
    const moment = [...t.$$('[data-testid="moment"]')].find((m) =>
      /surprise/.test(m.textContent),
    ) as HTMLButtonElement;
    expect(moment.textContent).toBe('5:00 — surprise 90%');
    await act(() => moment.click());
    expect(zoomText()).toBe('Timelines from 4:30 to 5:30');
    expect(
      document.activeElement?.closest('[data-testid="timeline"]')?.getAttribute('data-participant'),
    ).toBe('v1');
  });

  it('keeps the small view (side panel) without overview or zoom', async () => {
    await report(300);
    expect(t.$('[data-testid="session-overview"]')).toBeNull();
    expect(t.$('[data-testid="moment"]')).toBeNull();
  });
});
