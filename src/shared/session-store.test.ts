import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { EMOTIONS } from './emotions';
import type { Sample } from './session';
import { CHUNK_MS, MIGRATIONS, SCHEMA_VERSION, SessionStore, type SummaryRecord } from './session-store';
import { summariseSession } from './summary';

let n = 0;
const stores: SessionStore[] = [];
async function fresh(): Promise<SessionStore> {
  const s = await SessionStore.open(`test-${++n}`);
  stores.push(s);
  return s;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

/** The summary computed the old way: every sample of the session read and summarised. */
async function summarised(store: SessionStore, id: string) {
  const data = await store.get(id);
  if (!data) throw new Error(`no session ${id}`);
  return summariseSession(data);
}

const probs = (i: number) => EMOTIONS.map((_, k) => (k === i % 7 ? 0.7 : 0.05));
const T0 = Date.UTC(2026, 10, 29, 14, 0, 0);

describe('SessionStore', () => {
  it('stores samples across minute chunks and reads them back in order, per participant', async () => {
    const store = await fresh();
    const meta = await store.createSession({
      title: 'Standup',
      origin: 'https://meet.example',
      startedAt: T0,
    });
    const samples: Sample[] = [];
    for (let i = 0; i < 300; i++)
      samples.push({ participantId: i % 2 ? 'v1' : 'v2', t: T0 + i * 500, p: probs(i) });
    // in three batches, as the recorder would
    await store.append(meta.id, samples.slice(0, 100), [
      { id: 'v1', name: 'Ada', firstSeen: T0 },
      { id: 'v2', name: 'Grace', firstSeen: T0 },
    ]);
    await store.append(meta.id, samples.slice(100, 200));
    const after = await store.append(meta.id, samples.slice(200));
    expect(after.samples).toBe(300);
    const data = await store.get(meta.id);
    expect(data?.meta.participants.map((p) => p.name)).toEqual(['Ada', 'Grace']);
    const v1 = data?.timelines.find((t) => t.participantId === 'v1');
    expect(v1?.t).toEqual(samples.filter((s) => s.participantId === 'v1').map((s) => s.t));
    v1?.p.forEach((p, i) => p.forEach((x, k) => expect(x).toBeCloseTo(probs(2 * i + 1)[k] ?? NaN, 6)));
  });

  it('lists newest first, renames, ends, deletes one and all', async () => {
    const store = await fresh();
    const a = await store.createSession({ title: 'A', origin: 'https://a', startedAt: T0 });
    const b = await store.createSession({ title: 'B', origin: 'https://b', startedAt: T0 + 1000 });
    await store.append(
      a.id,
      [{ participantId: 'v1', t: T0, p: probs(0) }],
      [{ id: 'v1', name: 'Participant 1', firstSeen: T0 }],
    );
    expect((await store.list()).map((s) => s.title)).toEqual(['B', 'A']);
    const renamed = await store.renameParticipant(a.id, 'v1', '  Ada  ');
    expect(renamed.participants[0]).toMatchObject({ name: 'Ada', renamed: true });
    await expect(store.renameParticipant(a.id, 'v9', 'x')).rejects.toThrow(/no such participant/);
    await store.endSession(a.id, T0 + 5000);
    await store.endSession(a.id, T0 + 9000); // the first end stands
    expect((await store.getMeta(a.id))?.endedAt).toBe(T0 + 5000);
    await store.delete(a.id);
    expect(await store.get(a.id)).toBeUndefined();
    expect(await store.timelineBytes(a.id)).toBe(0);
    await store.deleteAll();
    expect(await store.list()).toEqual([]);
    await expect(store.append(b.id, [])).rejects.toThrow(/does not exist/);
  });

  it('keeps a two-hour, nine-person call under 3 MB by downsampling old chunks', async () => {
    const store = await fresh();
    const meta = await store.createSession({ title: 'Long', origin: 'https://meet.example', startedAt: T0 });
    const people = Array.from({ length: 9 }, (_, i) => `v${i + 1}`);
    await store.append(
      meta.id,
      [],
      people.map((id) => ({ id, name: id, firstSeen: T0 })),
    );
    // 2 frames per second per person (the default rate), written every 10 s
    const end = T0 + 2 * 3600_000;
    for (let t = T0; t < end; t += 10_000) {
      const batch: Sample[] = [];
      for (let dt = 0; dt < 10_000; dt += 500)
        for (const [k, id] of people.entries())
          batch.push({ participantId: id, t: t + dt + k, p: probs(k + dt) });
      await store.append(meta.id, batch);
      if ((t - T0) % 60_000 === 0) await store.compact(meta.id, t);
    }
    await store.compact(meta.id, end);
    const bytes = await store.timelineBytes(meta.id);
    const data = await store.get(meta.id);
    const samples = data?.timelines.reduce((a, tl) => a + tl.t.length, 0) ?? 0;
    // the figure the README quotes
    console.info(`two-hour, nine-person call: ${samples} samples, ${bytes} bytes of timeline data`);
    expect(bytes).toBeLessThan(3 * 1024 * 1024);
    // the last 10 minutes stay at full resolution (2 per second), older minutes at 1 per second
    const v1 = data?.timelines.find((tl) => tl.participantId === 'v1');
    const lastMinutes = v1?.t.filter((t) => t >= end - 9 * CHUNK_MS).length ?? 0;
    expect(lastMinutes).toBe(9 * 120);
    const firstMinute = v1?.t.filter((t) => t < T0 + CHUNK_MS).length ?? 0;
    expect(firstMinute).toBe(60);
    expect(samples).toBeGreaterThan(9 * 7200 * 0.99);
    expect(samples).toBeLessThan(9 * 7200 * 1.2);
  }, 120_000);

  it('deletes sessions past the retention, and ends sessions left open at their last sample', async () => {
    const store = await fresh();
    const old = await store.createSession({
      title: 'old',
      origin: 'https://a',
      startedAt: T0 - 40 * 86_400_000,
    });
    const open = await store.createSession({ title: 'open', origin: 'https://a', startedAt: T0 });
    await store.append(
      open.id,
      [{ participantId: 'v1', t: T0 + 7000, p: probs(1) }],
      [{ id: 'v1', name: 'A', firstSeen: T0 }],
    );
    expect(await store.deleteStartedBefore(T0 - 30 * 86_400_000)).toBe(1);
    expect(await store.getMeta(old.id)).toBeUndefined();
    expect(await store.endOpenSessions(T0 + 60_000)).toEqual([open.id]);
    expect((await store.getMeta(open.id))?.endedAt).toBe(T0 + 7000);
  });

  it('migrates a version-1 database to the current schema without losing its data', async () => {
    const name = `migrate-${++n}`;
    // a database as version 1 of the extension left it
    const v1 = await openDB(name, 1, {
      upgrade(db, _old, _new, tx) {
        MIGRATIONS[0]?.(db as never, tx as never);
      },
    });
    await v1.put('sessions', {
      id: 's1',
      title: 'Old',
      origin: 'https://a',
      startedAt: T0,
      participants: [],
      samples: 1,
    });
    await v1.put('chunks', {
      sessionId: 's1',
      participantId: 'v1',
      start: T0,
      t: Float64Array.of(T0 + 1),
      p: Float32Array.from(probs(3)),
      bucketMs: 0,
    });
    expect(v1.objectStoreNames.contains('sessions')).toBe(true);
    expect(v1.transaction('sessions').store.indexNames.contains('byStart')).toBe(false);
    v1.close();

    const store = await SessionStore.open(name);
    stores.push(store);
    expect(SCHEMA_VERSION).toBeGreaterThan(1);
    expect((await store.list()).map((s) => s.id)).toEqual(['s1']); // uses the byStart index
    expect((await store.get('s1'))?.timelines).toEqual([
      { participantId: 'v1', t: [T0 + 1], p: [Array.from(Float32Array.from(probs(3)))] },
    ]);
  });

  it('keeps the summary as samples come, the same as summarising the timelines, and stores it at the end', async () => {
    const store = await fresh();
    const meta = await store.createSession({
      title: 'Review',
      origin: 'https://meet.example',
      startedAt: T0,
    });
    expect(await store.summary(meta.id)).toMatchObject({ participants: [], dominant: undefined });
    // three people, one of them only for a while, a gap, probabilities that float32 rounds
    let x = 3;
    const rand = () => (x = (x * 16807) % 2147483647) / 2147483647;
    let mood = 0;
    for (let batch = 0; batch < 120; batch++) {
      const samples: Sample[] = [];
      for (let k = 0; k < 10; k++) {
        const t = T0 + batch * 5000 + k * 500 + (batch > 60 ? 30_000 : 0);
        if (rand() < 0.05) mood = Math.floor(rand() * 7);
        for (const id of ['v1', 'v2', ...(batch % 40 < 20 ? ['v3'] : [])]) {
          const strength = 0.3 + 0.65 * rand();
          const p = EMOTIONS.map((_, e) => (e === mood ? strength : (1 - strength) / 6 + rand() * 0.01));
          samples.push({ participantId: id, t: t + (id === 'v2' ? 7 : 0), p });
        }
      }
      await store.append(
        meta.id,
        samples,
        ['v1', 'v2', 'v3'].map((id) => ({ id, firstSeen: T0 })),
      );
      if (batch % 30 === 0) expect(await store.summary(meta.id)).toEqual(await summarised(store, meta.id));
    }
    const running = await store.summary(meta.id);
    expect(running).toEqual(await summarised(store, meta.id));
    expect(running?.participants.map((p) => p.samples)).toEqual([1200, 1200, 600]);
    expect(running?.participants.flatMap((p) => p.moments).length).toBeGreaterThan(6);

    await store.endSession(meta.id, T0 + 700_000);
    const ended = await store.summary(meta.id);
    expect(ended).toEqual(await summarised(store, meta.id));
    expect(ended?.durationMs).toBe(700_000);
    // renamed after the end: the stored summary shows the name given
    await store.renameParticipant(meta.id, 'v1', 'Ada');
    expect((await store.summary(meta.id))?.participants[0]?.name).toBe('Ada');
    // downsampling keeps the summary of the samples as recorded
    expect(await store.compact(meta.id, Number.POSITIVE_INFINITY)).toBeGreaterThan(0);
    expect(await store.compact(meta.id, Number.POSITIVE_INFINITY)).toBe(0);
    expect((await store.summaries([meta.id, 'gone'])).get(meta.id)).toEqual({
      ...ended,
      participants: ended?.participants.map((p, i) => (i === 0 ? { ...p, name: 'Ada' } : p)),
    });
    await store.delete(meta.id);
    expect(await store.summary(meta.id)).toBeUndefined();
  }, 60_000);

  it('summarises a session saved before summaries were kept once, from its timelines, and stores it', async () => {
    const name = `legacy-${++n}`;
    // a database as version 2 of the extension left it: one ended session, one still running
    const v2 = await openDB(name, 2, {
      upgrade(db, _old, _new, tx) {
        MIGRATIONS[0]?.(db as never, tx as never);
        MIGRATIONS[1]?.(db as never, tx as never);
      },
    });
    for (const [id, endedAt] of [
      ['ended', T0 + 60_000],
      ['open', undefined],
    ] as const) {
      await v2.put('sessions', {
        id,
        title: id,
        origin: 'https://a',
        startedAt: T0,
        ...(endedAt ? { endedAt } : {}),
        participants: [{ id: 'v1', name: 'Ada', firstSeen: T0 }],
        samples: 40,
      });
      await v2.put('chunks', {
        sessionId: id,
        participantId: 'v1',
        start: T0,
        t: Float64Array.from({ length: 40 }, (_, i) => T0 + i * 500),
        p: Float32Array.from({ length: 280 }, (_, i) => (i % 7 === 3 ? 0.7 : 0.05)),
        bucketMs: 0,
      });
    }
    v2.close();

    const store = await SessionStore.open(name);
    stores.push(store);
    const full = await summarised(store, 'ended');
    expect(full.dominant).toBe('happy');
    expect(await store.summary('ended')).toEqual(full);
    // stored: the next reader does not read the timelines
    const raw = await openDB(name);
    expect(((await raw.get('summaries', 'ended')) as SummaryRecord | undefined)?.summary).toEqual(full);
    // a running one is summarised from its timelines until it ends, then stored
    await store.append('open', [{ participantId: 'v1', t: T0 + 20_000, p: probs(5) }]);
    expect(await raw.get('summaries', 'open')).toBeUndefined();
    expect(await store.summary('open')).toEqual(await summarised(store, 'open'));
    await store.endSession('open', T0 + 30_000);
    expect(((await raw.get('summaries', 'open')) as SummaryRecord | undefined)?.summary).toEqual(
      await summarised(store, 'open'),
    );
    raw.close();
  });
});
