import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { EMOTIONS } from '../shared/emotions';

// the background's sessions module, with a stubbed browser API (settings and alarms)
const fake = vi.hoisted(() => {
  const local: Record<string, unknown> = { retentionDays: 7 };
  return { local, alarms: new Map<string, { delayInMinutes?: number; periodInMinutes?: number }>() };
});
vi.mock('../shared/platform', () => ({
  browser: {
    storage: {
      local: {
        get: (key: string) => Promise.resolve(key in fake.local ? { [key]: fake.local[key] } : {}),
      },
    },
    alarms: {
      get: (name: string) =>
        Promise.resolve(fake.alarms.has(name) ? { name, ...fake.alarms.get(name) } : undefined),
      create: (name: string, info: { delayInMinutes?: number; periodInMinutes?: number }) =>
        Promise.resolve(void fake.alarms.set(name, info)),
    },
  },
}));
const { endAbandonedSessions, HOUSEKEEPING_ALARM, housekeeping, scheduleHousekeeping, sessionStore } =
  await import('./sessions');

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

describe('session housekeeping', () => {
  it('schedules one periodic alarm, and does not reset one already scheduled', async () => {
    await scheduleHousekeeping();
    expect(fake.alarms.get(HOUSEKEEPING_ALARM)).toEqual({ delayInMinutes: 60, periodInMinutes: 60 });
    fake.alarms.set(HOUSEKEEPING_ALARM, { periodInMinutes: 60, delayInMinutes: 5 });
    await scheduleHousekeeping();
    expect(fake.alarms.get(HOUSEKEEPING_ALARM)?.delayInMinutes).toBe(5);
  });

  it('deletes the sessions past the retention and downsamples the old chunks of those still open', async () => {
    const store = await sessionStore();
    const old = await store.createSession({ title: 'old', origin: 'https://a', startedAt: NOW - 8 * DAY });
    const open = await store.createSession({ title: 'open', origin: 'https://a', startedAt: NOW - 3600_000 });
    const p = EMOTIONS.map((_, k) => (k === 3 ? 0.7 : 0.05));
    const samples = Array.from({ length: 240 }, (_, i) => ({
      participantId: 'v1',
      t: NOW - 3600_000 + i * 250,
      p,
    }));
    await store.append(open.id, samples, [{ id: 'v1', firstSeen: NOW - 3600_000 }]);

    await housekeeping(NOW);
    expect(await store.getMeta(old.id)).toBeUndefined();
    // the open session's first minute, an hour old, is at one sample a second
    expect((await store.get(open.id))?.timelines[0]?.t.length).toBe(60);
    // its summary is of the samples as recorded
    expect((await store.summary(open.id))?.participants[0]?.samples).toBe(240);
  });

  it('ends the sessions a browser start finds open, with their summary, and downsamples them', async () => {
    const store = await sessionStore();
    const open = await store.createSession({ title: 'left open', origin: 'https://a', startedAt: NOW });
    const p = EMOTIONS.map((_, k) => (k === 5 ? 0.7 : 0.05));
    const samples = Array.from({ length: 40 }, (_, i) => ({ participantId: 'v1', t: NOW + i * 250, p }));
    await store.append(open.id, samples, [{ id: 'v1', firstSeen: NOW }]);
    await endAbandonedSessions(NOW + DAY);
    expect((await store.getMeta(open.id))?.endedAt).toBe(NOW + 39 * 250);
    expect((await store.get(open.id))?.timelines[0]?.t.length).toBe(10);
    expect((await store.summary(open.id))?.participants[0]).toMatchObject({
      samples: 40,
      dominant: 'surprise',
    });
  });
});
