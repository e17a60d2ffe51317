import { beforeEach, describe, expect, it, vi } from 'vitest';
import { originsToRevoke, revokeRemovedSites, stillGranted, type HostPermissions } from './auto-start-access';

/** A browser's host permissions: what was granted, what was asked to be removed. */
function permissionsOf(granted: string[]): HostPermissions & { granted: Set<string>; removed: string[][] } {
  const state = { granted: new Set(granted), removed: [] as string[][] };
  return {
    ...state,
    contains: ({ origins }) => Promise.resolve(origins.every((o) => state.granted.has(o))),
    remove: ({ origins }) => {
      state.removed.push(origins);
      for (const o of origins) state.granted.delete(o);
      return Promise.resolve(true);
    },
  };
}

// The background's settings module, with a stubbed browser API (storage, permissions, manifest).
const fake = vi.hoisted(() => {
  const local: Record<string, unknown> = {};
  const removed: string[][] = [];
  const hostPermissions: string[] = [];
  return { local, granted: new Set<string>(), removed, hostPermissions };
});
vi.mock('../shared/platform', () => ({
  browser: {
    storage: {
      local: {
        get: (key: string) => Promise.resolve(key in fake.local ? { [key]: fake.local[key] } : {}),
        set: (items: Record<string, unknown>) => Promise.resolve(void Object.assign(fake.local, items)),
      },
    },
    permissions: {
      contains: ({ origins }: { origins: string[] }) =>
        Promise.resolve(origins.every((o) => fake.granted.has(o))),
      remove: ({ origins }: { origins: string[] }) => {
        fake.removed.push(origins);
        for (const o of origins) fake.granted.delete(o);
        return Promise.resolve(true);
      },
    },
    runtime: { getManifest: () => ({ host_permissions: fake.hostPermissions }) },
  },
}));
const { dropRevokedAutoStart, revokeDroppedAutoStart } = await import('./settings');

beforeEach(() => {
  fake.local = {};
  fake.granted = new Set();
  fake.removed = [];
  fake.hostPermissions = [];
});

describe('originsToRevoke', () => {
  it('gives back the sites taken off the list', () => {
    expect(
      originsToRevoke(['https://a.example/*', 'https://b.example/*'], ['https://b.example/*'], []),
    ).toEqual(['https://a.example/*']);
  });

  it('keeps access a remaining pattern still needs (a wider or a narrower one on the same site)', () => {
    const wide = 'https://*.example.com/*';
    const meet = 'https://meet.example.com/*';
    expect(originsToRevoke([wide, meet], [wide], [])).toEqual([]);
    expect(originsToRevoke([wide, meet], [meet], [])).toEqual([]);
    expect(originsToRevoke(['*://meet.example.com/*', meet], [meet], [])).toEqual([]);
    // another site is not needed
    expect(originsToRevoke([wide, 'https://other.test/*'], [wide], [])).toEqual(['https://other.test/*']);
  });

  it('never removes a host permission of the manifest (the dev flavour’s localhost)', () => {
    expect(originsToRevoke(['http://localhost/*'], [], ['http://localhost/*'])).toEqual([]);
  });

  it('removes nothing when nothing was taken off', () => {
    expect(
      originsToRevoke(['https://a.example/*'], ['https://a.example/*', 'https://b.example/*'], []),
    ).toEqual([]);
  });
});

describe('revokeRemovedSites and stillGranted', () => {
  it('removes only what is still held', async () => {
    const p = permissionsOf(['https://a.example/*']);
    const removed = await revokeRemovedSites(['https://a.example/*', 'https://gone.example/*'], [], [], p);
    expect(removed).toEqual(['https://a.example/*']);
    expect(p.removed).toEqual([['https://a.example/*']]);
  });

  it('does not call permissions.remove when nothing is to be given back', async () => {
    const p = permissionsOf(['https://a.example/*']);
    await revokeRemovedSites(['https://a.example/*'], ['https://a.example/*'], [], p);
    expect(p.removed).toEqual([]);
  });

  it('counts a pattern the browser refuses to check as not held', async () => {
    const p = permissionsOf(['https://a.example/*']);
    p.contains = ({ origins }) =>
      origins[0] === 'bad' ? Promise.reject(new Error('Invalid value')) : Promise.resolve(true);
    expect(await stillGranted(['https://a.example/*', 'bad'], p)).toEqual(['https://a.example/*']);
  });
});

describe('background settings: auto-start access follows the list', () => {
  it('the user removes a site in the settings: its access is given back, a shared one is kept', async () => {
    fake.granted = new Set(['https://meet.example.com/*', 'https://*.example.com/*', 'https://b.test/*']);
    const before = ['https://meet.example.com/*', 'https://*.example.com/*', 'https://b.test/*'];
    fake.local.autoStart = ['https://*.example.com/*'];
    expect(await revokeDroppedAutoStart(before)).toEqual(['https://b.test/*']);
    expect(fake.removed).toEqual([['https://b.test/*']]);
    expect([...fake.granted].sort()).toEqual(['https://*.example.com/*', 'https://meet.example.com/*']);
  });

  it('looks at the list as stored now: a site added back meanwhile keeps its access', async () => {
    fake.granted = new Set(['https://a.example/*']);
    fake.local.autoStart = ['https://a.example/*'];
    expect(await revokeDroppedAutoStart(['https://a.example/*'])).toEqual([]);
    expect(fake.removed).toEqual([]);
  });

  it('keeps the manifest’s own host permissions and ignores a damaged previous value', async () => {
    fake.hostPermissions = ['http://localhost/*'];
    fake.granted = new Set(['http://localhost/*']);
    fake.local.autoStart = [];
    expect(await revokeDroppedAutoStart(['http://localhost/*'])).toEqual([]);
    expect(await revokeDroppedAutoStart('not a list')).toEqual([]);
    expect(fake.removed).toEqual([]);
  });

  it('the user revokes a site in the browser: it is taken off the auto-start list', async () => {
    fake.local.autoStart = ['https://a.example/*', 'https://b.example/*'];
    fake.granted = new Set(['https://b.example/*']);
    expect(await dropRevokedAutoStart()).toEqual(['https://a.example/*']);
    expect(fake.local.autoStart).toEqual(['https://b.example/*']);
  });

  it('leaves the list alone when every site is still granted, or when it was never set', async () => {
    fake.local.autoStart = ['https://a.example/*'];
    fake.granted = new Set(['https://a.example/*']);
    const list = fake.local.autoStart;
    expect(await dropRevokedAutoStart()).toEqual([]);
    expect(fake.local.autoStart).toBe(list);
    delete fake.local.autoStart;
    expect(await dropRevokedAutoStart()).toEqual([]);
    expect('autoStart' in fake.local).toBe(false);
  });
});

describe('addedSites', () => {
  it('names the sites a change added, whatever the stored list was before', async () => {
    const { addedSites } = await import('./auto-start-access');
    const after = ['https://meet.google.com/*', 'https://teams.microsoft.com/*'];
    expect(addedSites(['https://meet.google.com/*'], after)).toEqual(['https://teams.microsoft.com/*']);
    expect(addedSites(undefined, after)).toEqual(after);
    expect(addedSites('junk', after)).toEqual(after);
    expect(addedSites(after, after)).toEqual([]);
  });
});
