// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { testRoot, type TestRoot } from '../ui/test-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EMOTIONS } from '../shared/emotions';
import type { SessionData } from '../shared/session';
import { MockClient } from '../ui/client';
import { ReportApp } from './ReportApp';

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

let t: TestRoot;
let root: HTMLElement;
const $ = (sel: string) => t.$(sel);
const $$ = (sel: string) => t.$$(sel);
const until = (ready: () => unknown) => t.until(ready);
beforeEach(() => {
  t = testRoot();
  root = t.el;
  history.replaceState(null, '', '/');
});
afterEach(() => {
  t.unmount();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function client(): MockClient {
  const c = new MockClient({ tabId: 1, scriptable: true, enabled: false, videos: 0, videosSeen: 0 });
  c.sessions = [session('a', T0, 3), session('b', T0 + 86_400_000, 4)];
  return c;
}

describe('report page', () => {
  it('lists sessions newest first with their mood, and opens one in full', async () => {
    const c = client();
    await act(() => render(<ReportApp client={c} />, root));
    await until(
      () =>
        $$('[data-testid="history-row"]').length === 2 &&
        !/…/.test($('[data-testid="history"]')?.textContent ?? '…'),
    );
    const rows = [...root.querySelectorAll('[data-testid="history-row"]')];
    expect(rows.map((r) => r.querySelector('button')?.textContent)).toEqual(['Call b', 'Call a']);
    expect(rows[0]?.textContent).toMatch(/negative, mostly sad/);
    expect(rows[1]?.textContent).toMatch(/positive, mostly happy/);
    await act(() => rows[1]?.querySelector('button')?.click());
    await until(() => $$('[data-testid="timeline"]').length === 1);
    expect(location.search).toBe('?session=a');
    expect(root.querySelector('[data-testid="session"]')?.getAttribute('data-session')).toBe('a');
    expect(root.querySelectorAll('[data-testid="timeline"]')).toHaveLength(1);
    // the full-page report has the summary table: Ada was happy all the time
    const cells = [...root.querySelectorAll('[data-testid="summary-table"] tbody tr')].map((r) =>
      [...r.children].map((c) => c.textContent),
    );
    expect(cells).toEqual([
      ['Ada', '0%', '0%', '0%', '100%', '0%', '0%', '0%', 'happy', '+0.57', 'steady →'],
    ]);
  });

  it('deletes all sessions after confirmation only', async () => {
    const c = client();
    const confirm = vi.fn().mockReturnValueOnce(false).mockReturnValueOnce(true);
    vi.stubGlobal('confirm', confirm);
    await act(() => render(<ReportApp client={c} />, root));
    await until(() => $('[data-testid="delete-all"]'));
    const button = root.querySelector<HTMLButtonElement>('[data-testid="delete-all"]');
    await act(() => button?.click());
    expect(c.sessions).toHaveLength(2);
    await act(() => button?.click());
    await until(() => $('[data-testid="history-empty"]'));
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(c.sessions).toHaveLength(0);
    await until(() => $('[data-testid="history-empty"]'));
    expect(root.querySelector('[data-testid="history-empty"]'), root.innerHTML.slice(0, 300)).not.toBeNull();
  });

  it('saves a changed setting and refuses a site that is not a web address', async () => {
    const c = client();
    history.replaceState(null, '', '/#settings');
    await act(() => render(<ReportApp client={c} />, root));
    await until(() => $('[data-testid="setting-rate"]'));
    const rate = root.querySelector<HTMLSelectElement>('[data-testid="setting-rate"]');
    await act(() => {
      if (!rate) throw new Error('no rate');
      rate.value = '1';
      rate.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await until(() => $('[data-testid="settings-message"]'));
    expect(c.settings.samplingRate).toBe(1);
    expect(root.querySelector('[data-testid="settings-message"]')?.textContent).toBe('Saved.');
    const input = root.querySelector<HTMLInputElement>('fieldset input');
    await act(() => {
      if (!input) throw new Error('no site input');
      input.value = 'file:///etc/passwd';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(() => root.querySelector<HTMLButtonElement>('fieldset > button')?.click());
    expect(root.querySelector('[data-testid="settings-message"]')?.textContent).toMatch(
      /only http and https/,
    );
    expect(c.settings.autoStart).toEqual([]);
  });
});
