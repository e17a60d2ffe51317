import { describe, expect, it, vi } from 'vitest';

/** The browser: open tabs, which of them run the content script, which refuse scripts. */
const fake = vi.hoisted(() => ({
  tabs: [] as { id: number; url: string }[],
  running: new Set<number>(),
  refused: new Set<number>(),
  queries: [] as string[][],
}));
vi.mock('../content/content-script.ts?script&iife', () => ({ default: 'content.js' }));
vi.mock('../shared/platform', () => ({
  TOP_FRAME: 0,
  toTab: (tabId: number, frameId?: number) => ({ tabId, frameId }),
  browser: {
    tabs: {
      query: ({ url }: { url: string[] }) => {
        fake.queries.push(url);
        const hosts = url.map((p) => p.replace('/*', ''));
        return Promise.resolve(fake.tabs.filter((t) => hosts.some((h) => t.url.startsWith(h))));
      },
    },
    scripting: {
      executeScript: ({ target, files }: { target: { tabId: number }; files?: string[] }) => {
        if (fake.refused.has(target.tabId))
          return Promise.reject(new Error('Cannot access contents of the page'));
        if (files) fake.running.add(target.tabId);
        return Promise.resolve(files ? [] : [{ frameId: 0, result: fake.running.has(target.tabId) }]);
      },
    },
  },
}));
vi.mock('../shared/messaging', () => ({
  send: ({ tabId }: { tabId: number }) =>
    fake.running.has(tabId)
      ? Promise.resolve({ videos: 0, videosSeen: 0, enabled: false, url: '', title: '' })
      : Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')),
}));
const { startInOpenTabs } = await import('./content-injection');

describe('startInOpenTabs', () => {
  it('starts the content script in the open tabs of the sites, and skips those it may not enter', async () => {
    fake.tabs = [
      { id: 1, url: 'https://meet.example.com/abc' },
      { id: 2, url: 'https://other.example.org/' },
      { id: 3, url: 'https://meet.example.com/def' },
      { id: 4, url: 'https://meet.example.com/blocked' },
    ];
    fake.running = new Set([3]);
    fake.refused = new Set([4]);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(await startInOpenTabs(['https://meet.example.com/*'])).toEqual([1, 3]);
    expect([...fake.running].sort()).toEqual([1, 3]);
  });

  it('asks the browser for nothing when no site was added', async () => {
    fake.queries = [];
    expect(await startInOpenTabs([])).toEqual([]);
    expect(fake.queries).toEqual([]);
  });
});
