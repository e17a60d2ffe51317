import { beforeEach, describe, expect, it, vi } from 'vitest';

// the offscreen-document module with a stubbed browser (storage.session, alarms) and chrome.offscreen
const fake = vi.hoisted(() => ({
  session: Object.create(null) as Record<string, unknown>,
  alarms: new Map<string, { periodInMinutes?: number }>(),
  documents: 0,
  local: Object.create(null) as Record<string, unknown>,
  created: [] as string[],
}));
vi.mock('../shared/platform', () => ({
  browser: {
    storage: {
      local: {
        get: (keys: string | string[]) =>
          Promise.resolve(
            Object.fromEntries([keys].flat().flatMap((k) => (k in fake.local ? [[k, fake.local[k]]] : []))),
          ),
      },
      session: {
        get: (k: string | null) =>
          Promise.resolve(
            k === null ? { ...fake.session } : k in fake.session ? { [k]: fake.session[k] } : {},
          ),
        set: (items: Record<string, unknown>) => Promise.resolve(void Object.assign(fake.session, items)),
        remove: (k: string) => Promise.resolve(Reflect.deleteProperty(fake.session, k)),
      },
    },
    alarms: {
      create: (name: string, info: { periodInMinutes?: number }) =>
        Promise.resolve(void fake.alarms.set(name, info)),
      clear: (name: string) => Promise.resolve(fake.alarms.delete(name)),
    },
  },
}));
vi.stubGlobal('chrome', {
  runtime: {
    getURL: (path: string) => `chrome-extension://id/${path}`,
    ContextType: { OFFSCREEN_DOCUMENT: 'OFFSCREEN_DOCUMENT' },
    getContexts: () => Promise.resolve(new Array<object>(fake.documents).fill({})),
  },
  offscreen: {
    Reason: { WORKERS: 'WORKERS', USER_MEDIA: 'USER_MEDIA' },
    createDocument: ({ url }: { url: string }) => {
      fake.created.push(url);
      return Promise.resolve(void (fake.documents = 1));
    },
    closeDocument: () => Promise.resolve(void (fake.documents = 0)),
  },
});
const { ENGINE_IDLE_ALARM, ensureOffscreenDocument, idleStep, onEngineIdleAlarm } =
  await import('./offscreen-document');

const MIN = 60_000;

describe('the idle engine', () => {
  beforeEach(() => {
    fake.session = {};
    fake.alarms.clear();
    fake.documents = 0;
  });

  it('closes only after no tab has analysed for three minutes in a row', () => {
    expect(idleStep(true, undefined, 0)).toEqual({ idleSince: undefined, close: false });
    expect(idleStep(false, undefined, 10 * MIN)).toEqual({ idleSince: 10 * MIN, close: false });
    expect(idleStep(false, 10 * MIN, 12 * MIN)).toEqual({ idleSince: 10 * MIN, close: false });
    expect(idleStep(false, 10 * MIN, 13 * MIN)).toEqual({ idleSince: 10 * MIN, close: true });
    // a tab that analyses in between starts the count again
    expect(idleStep(true, 10 * MIN, 12 * MIN).idleSince).toBeUndefined();
  });

  it('makes the document with a minute alarm, and closes it on the alarms after the idle minutes', async () => {
    await ensureOffscreenDocument();
    expect(fake.documents).toBe(1);
    expect(fake.alarms.get(ENGINE_IDLE_ALARM)).toEqual({ periodInMinutes: 1 });
    fake.session['tab:4'] = { enabled: true, videos: 1, videosSeen: 1 };
    await onEngineIdleAlarm(0);
    await onEngineIdleAlarm(5 * MIN);
    expect(fake.documents).toBe(1);
    // analysis off in the tab: three more minutes of alarms, then the document goes
    fake.session['tab:4'] = { enabled: false, videos: 1, videosSeen: 1 };
    for (const minute of [6, 7, 8]) {
      await onEngineIdleAlarm(minute * MIN);
      expect(fake.documents, `minute ${minute}`).toBe(1);
    }
    await onEngineIdleAlarm(9 * MIN);
    expect(fake.documents).toBe(0);
    expect(fake.alarms.has(ENGINE_IDLE_ALARM)).toBe(false);
    expect(fake.session).toEqual({ 'tab:4': { enabled: false, videos: 1, videosSeen: 1 } });
  });
});

describe('a new offscreen document', () => {
  it('is told the engine choice remembered from the last start in its URL, and nothing unchecked', async () => {
    const choice = { browser: 'Chrome/156', backend: 'wasm', detector: 'CPU' };
    fake.documents = 0;
    fake.local.engineChoice = choice;
    await ensureOffscreenDocument();
    const url = new URL(fake.created.at(-1) ?? '', 'chrome-extension://id/');
    expect(url.pathname).toBe('/src/offscreen/index.html');
    expect(JSON.parse(url.searchParams.get('choice') ?? '')).toEqual(choice);

    fake.documents = 0;
    fake.local.engineChoice = { ...choice, backend: '<script>' };
    await ensureOffscreenDocument();
    expect(fake.created.at(-1)).toBe('src/offscreen/index.html');
  });

  it("is told a developer's wasm thread count in its URL, when it is one", async () => {
    fake.local = { wasmThreads: 2 };
    fake.documents = 0;
    await ensureOffscreenDocument();
    const url = new URL(fake.created.at(-1) ?? '', 'chrome-extension://id/');
    expect(url.searchParams.get('threads')).toBe('2');
    expect(url.searchParams.has('choice')).toBe(false);

    for (const bad of [12, 'all', -1]) {
      fake.local = { wasmThreads: bad };
      fake.documents = 0;
      await ensureOffscreenDocument();
      expect(fake.created.at(-1), String(bad)).toBe('src/offscreen/index.html');
    }
  });
});
