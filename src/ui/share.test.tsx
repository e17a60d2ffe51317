// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMOTIONS } from '../shared/emotions';
import type { SessionData } from '../shared/session';
import { MockClient } from './client';
import { SessionReport } from './SessionReport';
import { standaloneHtml, timelinesSvg } from './share';
import { testRoot, type TestRoot } from './test-dom';

const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);

function session(): SessionData {
  const tl = (pid: string, k: number) => ({
    participantId: pid,
    t: Array.from({ length: 30 }, (_, i) => T0 + 2000 + i * 500),
    p: Array.from({ length: 30 }, () => EMOTIONS.map((_e, j) => (j === k ? 0.7 : 0.05))),
  });
  return {
    meta: {
      id: 's1',
      title: 'Retro <b>',
      origin: 'https://meet.example.com',
      startedAt: T0,
      endedAt: T0 + 20_000,
      samples: 60,
      participants: [
        { id: 'v1', name: 'Ada', firstSeen: T0 },
        { id: 'v2', name: 'Grace & co', firstSeen: T0 },
      ],
    },
    timelines: [tl('v1', 3), tl('v2', 4)],
  };
}

let t: TestRoot;
afterEach(() => {
  t.unmount();
  vi.restoreAllMocks();
});

async function report(): Promise<Element> {
  t = testRoot();
  const c = new MockClient({ tabId: 1, scriptable: true, enabled: false, videos: 0, videosSeen: 0 });
  c.sessions = [session()];
  await act(() => render(<SessionReport client={c} sessionId="s1" width={600} rowHeight={60} share />, t.el));
  await t.until(() => t.$('[data-testid="call-mood"]') && t.$$('[data-testid="timeline"]').length === 2);
  const root = t.$('[data-testid="session"]');
  if (!root) throw new Error('no report');
  return root;
}

describe('sharing a report', () => {
  it('saves it as one HTML file that loads nothing and keeps the figures, without the controls', async () => {
    const root = await report();
    const html = standaloneHtml(root, '.timeline { color: red }', 'MoodLens: Retro <b>');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).toContain('<title>MoodLens: Retro &lt;b&gt;</title>');
    expect(html).toContain('.timeline { color: red }');
    expect(html).not.toMatch(/<script|<button|<input|<form/i);
    const saved = new DOMParser().parseFromString(html, 'text/html');
    expect(saved.querySelector('[data-testid="call-mood"]')?.textContent).toBe(
      root.querySelector('[data-testid="call-mood"]')?.textContent,
    );
    expect(
      [...saved.querySelectorAll('[data-testid="timeline"]')].map((f) => f.getAttribute('data-points')),
    ).toEqual(['30', '30']);
    expect(saved.querySelectorAll('path.band')).toHaveLength(14);
    // the page itself still has its buttons
    expect(root.querySelector('[data-testid="save-html"]')).not.toBeNull();
  });

  it('draws the timelines as one picture, each under its name, with the colours written in', async () => {
    const root = await report();
    const { svg, width, height } = timelinesSvg(root);
    expect(width).toBe(624);
    expect(height).toBeGreaterThan(2 * 60);
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect([...doc.querySelectorAll('text')].slice(0, 2).map((x) => x.textContent)).toEqual([
      'Ada',
      'Grace & co',
    ]);
    expect(doc.querySelectorAll('svg svg')).toHaveLength(2);
    expect(doc.querySelector('.valence')?.getAttribute('stroke')).toBe('#1d1b26');
    expect(svg).toContain('fill="#e69f00"');
  });

  it('downloads the HTML file from the report', async () => {
    const root = await report();
    const saved: { name: string; blob: Blob }[] = [];
    let last: Blob | undefined;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      last = b as Blob;
      return 'blob:test';
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      if (last) saved.push({ name: this.download, blob: last });
    });
    await act(() => (root.querySelector('[data-testid="save-html"]') as HTMLButtonElement).click());
    expect(saved.map((s) => s.name)).toEqual(['moodlens-meet.example.com-2026-11-30-09-00.html']);
    expect(await saved[0]?.blob.text()).toMatch(/^<!doctype html>/);
  });
});
