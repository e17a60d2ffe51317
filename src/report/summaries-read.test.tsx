// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MockClient } from '../ui/client';
import { EMOTIONS } from '../shared/emotions';
import type { SessionData } from '../shared/session';
import { summariseSession, type CallSummary } from '../shared/summary';
import { SessionReport } from '../ui/SessionReport';
import { testRoot, type TestRoot } from '../ui/test-dom';
import { History } from './History';

const T0 = Date.UTC(2026, 10, 29, 9, 0, 0);
function session(id: string, startedAt: number, emotion: number): SessionData {
  return {
    meta: {
      id,
      title: `Call ${id}`,
      origin: 'https://meet.example.com',
      startedAt,
      endedAt: startedAt + 60_000,
      samples: 20,
      participants: [{ id: 'v1', name: 'Ada', firstSeen: startedAt }],
    },
    timelines: [
      {
        participantId: 'v1',
        t: Array.from({ length: 20 }, (_, i) => startedAt + i * 3000),
        p: Array.from({ length: 20 }, () => EMOTIONS.map((_, k) => (k === emotion ? 0.7 : 0.05))),
      },
    ],
  };
}

/** A client whose kept summaries differ from what the timelines give: what is shown tells which was read. */
function client() {
  const c = new MockClient({ tabId: 1, scriptable: true, enabled: false, videos: 0, videosSeen: 0 });
  c.sessions = [session('a', T0, 3), session('b', T0 + 86_400_000, 4)];
  const getSummaries = vi
    .spyOn(c, 'getSummaries')
    .mockImplementation((ids) =>
      Promise.resolve(
        new Map(
          c.sessions
            .filter((s) => ids.includes(s.meta.id))
            .map((s): [string, CallSummary] => [
              s.meta.id,
              { ...summariseSession(s), mood: 'neutral', dominant: 'surprise', meanValence: 0.42 },
            ]),
        ),
      ),
    );
  return { c, getSummaries };
}

let t: TestRoot;
beforeEach(() => {
  t = testRoot();
});
afterEach(() => {
  t.unmount();
  vi.restoreAllMocks();
});

describe('summaries as the store keeps them', () => {
  it('the history page shows them, in one request, without reading any timeline', async () => {
    const { c, getSummaries } = client();
    const getSession = vi.spyOn(c, 'getSession');
    await act(() => render(<History client={c} onOpen={() => undefined} />, t.el));
    await until(() => t.$$('[data-testid="history-row"]').length === 2 && !t.el.textContent.includes('…'));
    const rows = [...t.$$('[data-testid="history-row"]')].map((r) => r.textContent);
    expect(rows.every((r) => r.includes('neutral, mostly surprise (valence +0.42)'))).toBe(true);
    expect(getSummaries).toHaveBeenCalledTimes(1);
    expect(getSummaries).toHaveBeenCalledWith(['b', 'a']);
    expect(getSession).not.toHaveBeenCalled();
  });

  it('the session view (popup and report) shows the kept summary, not one recomputed from the timelines', async () => {
    const { c, getSummaries } = client();
    await act(() => render(<SessionReport client={c} sessionId="a" width={300} rowHeight={40} />, t.el));
    await until(() => t.$('[data-testid="call-mood"]'));
    expect(t.$('[data-testid="call-mood"]')?.textContent).toMatch(/neutral.*\+0\.42.*mostly surprise/);
    expect(getSummaries).toHaveBeenCalledWith(['a']);
  });
});

const until = (ready: () => unknown) => t.until(ready);
