/**
 * Sessions in IndexedDB (through `idb`). The background owns every write; the popup and the report
 * page read the same database directly (one extension origin), so long timelines never travel as
 * messages.
 *
 * Layout: `sessions` holds each session's meta (participants included); `chunks` holds the
 * timelines, one record per participant per minute, times as Float64Array and probabilities as
 * Float32Array (7 per sample), about 36 bytes a sample. Chunks older than `fullResolutionMs` are
 * downsampled to one sample per `bucketMs` by `compact()` (at the session's end and on the
 * background's housekeeping alarm, never on a frame's way), so a two-hour, nine-person call stays
 * near 2.5 MB (src/shared/session-store.test.ts measures it).
 *
 * `summaries` holds each session's summary beside its meta: while it runs, every participant's
 * running totals, folded in by `append()` in the samples' own transaction; at its end, the
 * finished summary. The popup and the history page read that record, never the timelines, so
 * what they cost does not grow with the session's length. The summary is of the samples as
 * recorded, before any downsampling. A session saved before summaries were kept gets its summary
 * computed from its timelines once, and stored.
 *
 * Schema versions are migrations applied in order; a test opens a database written by an older
 * version and checks that its data survives the upgrade.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { downsample } from './downsample';
import type { Participant, Sample, SessionData, SessionMeta, Timeline } from './session';
import {
  addSample,
  callSummary,
  finishTimeline,
  newTimelineState,
  summariseSession,
  withNames,
  type CallSummary,
  type TimelineState,
} from './summary';

export const DB_NAME = 'moodlens';
export const CHUNK_MS = 60_000;

export interface ChunkRecord {
  sessionId: string;
  participantId: string;
  /** Start of the chunk's minute (ms since the epoch). */
  start: number;
  t: Float64Array;
  /** 7 probabilities per sample, EMOTIONS order. */
  p: Float32Array;
  /** 0: as sampled; otherwise the bucket the chunk was downsampled to (ms). */
  bucketMs: number;
}

/** A session's summary: running totals while it runs, the finished summary once it ended. */
export interface SummaryRecord {
  sessionId: string;
  running?: Map<string, TimelineState>;
  summary?: CallSummary;
}

interface MoodLensDB extends DBSchema {
  sessions: { key: string; value: SessionMeta; indexes: { byStart: number } };
  chunks: {
    key: [string, string, number];
    value: ChunkRecord;
    indexes: { bySession: string; byBucket: [string, number] };
  };
  summaries: { key: string; value: SummaryRecord };
}

type UpgradeTx = IDBPTransaction<MoodLensDB, StoreNames<MoodLensDB>[], 'versionchange'>;

/** Migration i takes the database from version i to i + 1. */
export const MIGRATIONS: ((db: IDBPDatabase<MoodLensDB>, tx: UpgradeTx) => void)[] = [
  // 1: sessions and per-minute chunks
  (db) => {
    db.createObjectStore('sessions', { keyPath: 'id' });
    const chunks = db.createObjectStore('chunks', { keyPath: ['sessionId', 'participantId', 'start'] });
    chunks.createIndex('bySession', 'sessionId');
  },
  // 2: history in start order, and retention by start time, without reading every session
  (_db, tx) => {
    tx.objectStore('sessions').createIndex('byStart', 'startedAt');
  },
  // 3: summaries kept as samples come; compaction finds the chunks not yet downsampled by index
  (db, tx) => {
    db.createObjectStore('summaries', { keyPath: 'sessionId' });
    tx.objectStore('chunks').createIndex('byBucket', ['sessionId', 'bucketMs']);
  },
];
export const SCHEMA_VERSION = MIGRATIONS.length;

export interface CompactOptions {
  /** Chunks that ended longer ago than this are downsampled. */
  fullResolutionMs: number;
  bucketMs: number;
}

export const DEFAULT_COMPACT: CompactOptions = { fullResolutionMs: 10 * 60_000, bucketMs: 1000 };

function concat<T extends Float32Array | Float64Array>(a: T, b: ArrayLike<number>): T {
  const out = new (a.constructor as new (n: number) => T)(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A participant as the recorder sees it: `label` is the name the page shows, when it shows one. */
export interface SeenParticipant {
  id: string;
  label?: string | undefined;
  firstSeen: number;
}

const DEFAULT_NAME = /^Participant \d+$/;

/** Folds samples into running totals, with the probabilities as the chunks store them (float32). */
function foldSamples(running: Map<string, TimelineState>, samples: readonly Sample[]): void {
  const p = new Float32Array(7);
  for (const s of samples) {
    let state = running.get(s.participantId);
    if (!state) running.set(s.participantId, (state = newTimelineState(s.participantId)));
    p.fill(0);
    p.set(Array.from(s.p).slice(0, 7));
    addSample(state, s.t, p);
  }
}

/**
 * The summary of running totals, participants in the order `SessionStore.get()` gives their
 * timelines: the meta's order, then any others by their first minute and id.
 */
function finishRunning(meta: SessionMeta, running: Map<string, TimelineState>): CallSummary {
  const order = new Map(meta.participants.map((p, i) => [p.id, i]));
  const rank = (s: TimelineState) => order.get(s.participantId) ?? meta.participants.length;
  const minute = (s: TimelineState) => (order.has(s.participantId) ? 0 : Math.floor(s.t0 / CHUNK_MS));
  const states = [...running.values()].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      minute(a) - minute(b) ||
      (a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : 0),
  );
  const names = new Map(meta.participants.map((p) => [p.id, p.name]));
  return callSummary(
    meta,
    states.map((s) => finishTimeline(s, names.get(s.participantId) ?? s.participantId)),
    Math.max(0, ...states.map((s) => s.lastT)),
  );
}

/**
 * Adds a participant the session has not seen ("Participant N" without a page label), or gives a
 * default-named one the label the page shows now. A name the user chose is kept.
 */
export function mergeParticipant(meta: SessionMeta, seen: SeenParticipant | Participant): void {
  const label = 'label' in seen ? seen.label?.trim() : 'name' in seen ? seen.name : undefined;
  const known = meta.participants.find((p) => p.id === seen.id);
  if (!known) {
    meta.participants.push({
      id: seen.id,
      name: label || `Participant ${meta.participants.length + 1}`,
      firstSeen: seen.firstSeen,
    });
  } else if (label && !known.renamed && DEFAULT_NAME.test(known.name)) known.name = label;
}

export class SessionStore {
  private constructor(private readonly db: IDBPDatabase<MoodLensDB>) {}

  /** Opens (and migrates) the database; `version` is for migration tests. */
  static async open(name = DB_NAME, version = SCHEMA_VERSION): Promise<SessionStore> {
    const db = await openDB<MoodLensDB>(name, version, {
      upgrade(database, oldVersion, newVersion, tx) {
        for (let v = oldVersion; v < (newVersion ?? version); v++) MIGRATIONS[v]?.(database, tx);
      },
      blocking(_current, _blocked, event) {
        // a newer version (an updated extension) wants the database: let it upgrade
        (event.target as IDBDatabase).close();
      },
    });
    return new SessionStore(db);
  }

  close(): void {
    this.db.close();
  }

  async createSession(init: { title: string; origin: string; startedAt: number }): Promise<SessionMeta> {
    const meta: SessionMeta = {
      id: crypto.randomUUID(),
      title: init.title,
      origin: init.origin,
      startedAt: init.startedAt,
      participants: [],
      samples: 0,
    };
    const tx = this.db.transaction(['sessions', 'summaries'], 'readwrite');
    await Promise.all([
      tx.objectStore('sessions').put(meta),
      tx.objectStore('summaries').put({ sessionId: meta.id, running: new Map() }),
      tx.done,
    ]);
    return meta;
  }

  /**
   * Appends samples (and any new participants) in one transaction: all of them are stored, or
   * none. Samples of a participant must come in time order.
   */
  async append(
    sessionId: string,
    samples: readonly Sample[],
    participants: readonly (SeenParticipant | Participant)[] = [],
  ): Promise<SessionMeta> {
    const tx = this.db.transaction(['sessions', 'chunks', 'summaries'], 'readwrite');
    // a session begun before summaries were kept has none: it is summarised from its timelines
    const [meta, summary] = await Promise.all([
      tx.objectStore('sessions').get(sessionId),
      tx.objectStore('summaries').get(sessionId),
    ]);
    if (!meta) {
      tx.done.catch(() => undefined); // the abort below rejects it
      tx.abort();
      throw new Error(`session ${sessionId} does not exist (deleted?)`);
    }
    for (const seen of participants) mergeParticipant(meta, seen);
    const groups = new Map<string, Sample[]>();
    for (const s of samples) {
      const key = `${s.participantId}\u0000${Math.floor(s.t / CHUNK_MS) * CHUNK_MS}`;
      const list = groups.get(key) ?? [];
      list.push(s);
      groups.set(key, list);
    }
    const chunks = tx.objectStore('chunks');
    for (const list of groups.values()) {
      const first = list[0] as Sample;
      const start = Math.floor(first.t / CHUNK_MS) * CHUNK_MS;
      const old = await chunks.get([sessionId, first.participantId, start]);
      const t = Float64Array.from(list, (s) => s.t);
      const p = new Float32Array(list.length * 7);
      list.forEach((s, i) => p.set(Array.from(s.p).slice(0, 7), i * 7));
      await chunks.put({
        sessionId,
        participantId: first.participantId,
        start,
        t: old ? concat(old.t, t) : t,
        p: old ? concat(old.p, p) : p,
        bucketMs: old?.bucketMs ?? 0,
      });
    }
    meta.samples += samples.length;
    const fold = summary?.running && samples.length > 0;
    if (fold && summary.running) foldSamples(summary.running, samples);
    await Promise.all([
      tx.objectStore('sessions').put(meta),
      fold ? tx.objectStore('summaries').put(summary) : undefined,
      tx.done,
    ]);
    return meta;
  }

  /** Ends the session and stores its finished summary. */
  async endSession(sessionId: string, endedAt: number): Promise<void> {
    const tx = this.db.transaction(['sessions', 'summaries'], 'readwrite');
    const meta = await tx.objectStore('sessions').get(sessionId);
    if (!meta || meta.endedAt !== undefined) return tx.done;
    const ended = { ...meta, endedAt };
    const record = await tx.objectStore('summaries').get(sessionId);
    await tx.objectStore('sessions').put(ended);
    if (record?.running)
      await tx.objectStore('summaries').put({ sessionId, summary: finishRunning(ended, record.running) });
    await tx.done;
    // a session begun before summaries were kept: summarised from its timelines, once
    if (!record?.running) await this.summary(sessionId);
  }

  async renameParticipant(sessionId: string, participantId: string, name: string): Promise<SessionMeta> {
    const clean = name.trim().slice(0, 80);
    if (!clean) throw new Error('a participant needs a name');
    const tx = this.db.transaction('sessions', 'readwrite');
    const meta = await tx.store.get(sessionId);
    const p = meta?.participants.find((x) => x.id === participantId);
    if (!meta || !p) throw new Error('no such participant in this session');
    p.name = clean;
    p.renamed = true;
    await tx.store.put(meta);
    await tx.done;
    return meta;
  }

  async getMeta(sessionId: string): Promise<SessionMeta | undefined> {
    return this.db.get('sessions', sessionId);
  }

  /** Sessions, newest first. */
  async list(): Promise<SessionMeta[]> {
    return (await this.db.getAllFromIndex('sessions', 'byStart')).reverse();
  }

  /**
   * The session's summary, without reading its timelines: the stored one once it ended, else the
   * running totals finished now. Names are the participants' names now.
   */
  async summary(sessionId: string): Promise<CallSummary | undefined> {
    return (await this.summaries([sessionId])).get(sessionId);
  }

  /** The summaries of these sessions (the history page's), read in one transaction. */
  async summaries(sessionIds: readonly string[]): Promise<Map<string, CallSummary>> {
    const tx = this.db.transaction(['sessions', 'summaries'], 'readonly');
    const read = await Promise.all(
      sessionIds.map(async (id) => ({
        meta: await tx.objectStore('sessions').get(id),
        record: await tx.objectStore('summaries').get(id),
      })),
    );
    await tx.done;
    const out = new Map<string, CallSummary>();
    for (const { meta, record } of read) {
      if (!meta) continue;
      if (record?.summary) out.set(meta.id, withNames(record.summary, meta));
      else if (record?.running) out.set(meta.id, finishRunning(meta, record.running));
      else {
        const summary = await this.summariseStored(meta.id);
        if (summary) out.set(meta.id, summary);
      }
    }
    return out;
  }

  /**
   * A session saved before summaries were kept: summarised from its timelines, and the summary
   * stored once the session has ended (its timelines no longer change).
   */
  private async summariseStored(sessionId: string): Promise<CallSummary | undefined> {
    const data = await this.get(sessionId);
    if (!data) return undefined;
    const summary = summariseSession(data);
    if (data.meta.endedAt === undefined) return summary;
    const tx = this.db.transaction('summaries', 'readwrite');
    if (!(await tx.store.get(sessionId))) await tx.store.put({ sessionId, summary });
    await tx.done;
    return summary;
  }

  async get(sessionId: string): Promise<SessionData | undefined> {
    const tx = this.db.transaction(['sessions', 'chunks'], 'readonly');
    const meta = await tx.objectStore('sessions').get(sessionId);
    if (!meta) return undefined;
    const chunks = await tx.objectStore('chunks').index('bySession').getAll(sessionId);
    await tx.done;
    const byParticipant = new Map<string, Timeline>();
    for (const p of meta.participants) byParticipant.set(p.id, { participantId: p.id, t: [], p: [] });
    chunks.sort((a, b) => a.start - b.start);
    for (const c of chunks) {
      let tl = byParticipant.get(c.participantId);
      if (!tl) byParticipant.set(c.participantId, (tl = { participantId: c.participantId, t: [], p: [] }));
      for (let i = 0; i < c.t.length; i++) {
        tl.t.push(c.t[i] as number);
        tl.p.push(Array.from(c.p.subarray(i * 7, i * 7 + 7)));
      }
    }
    return { meta, timelines: [...byParticipant.values()] };
  }

  async delete(sessionId: string): Promise<void> {
    const tx = this.db.transaction(['sessions', 'chunks', 'summaries'], 'readwrite');
    await tx.objectStore('sessions').delete(sessionId);
    await tx.objectStore('summaries').delete(sessionId);
    const chunks = tx.objectStore('chunks');
    for (const key of await chunks.index('bySession').getAllKeys(sessionId)) await chunks.delete(key);
    await tx.done;
  }

  async deleteAll(): Promise<void> {
    const tx = this.db.transaction(['sessions', 'chunks', 'summaries'], 'readwrite');
    await Promise.all([
      tx.objectStore('sessions').clear(),
      tx.objectStore('chunks').clear(),
      tx.objectStore('summaries').clear(),
      tx.done,
    ]);
  }

  /**
   * Downsamples the session's chunks that ended more than `fullResolutionMs` before `now`; reads
   * only those (not the chunks downsampled before, nor the recent ones).
   */
  async compact(sessionId: string, now: number, options: CompactOptions = DEFAULT_COMPACT): Promise<number> {
    const tx = this.db.transaction('chunks', 'readwrite');
    const finer = IDBKeyRange.bound([sessionId, 0], [sessionId, options.bucketMs], false, true);
    const keys = (await tx.store.index('byBucket').getAllKeys(finer)).filter(
      ([, , start]) => start + CHUNK_MS <= now - options.fullResolutionMs,
    );
    let changed = 0;
    for (const key of keys) {
      const c = await tx.store.get(key);
      if (!c) continue;
      const d = downsample(c.t, c.p, options.bucketMs);
      await tx.store.put({
        ...c,
        t: Float64Array.from(d.t),
        p: Float32Array.from(d.p),
        bucketMs: options.bucketMs,
      });
      changed++;
    }
    await tx.done;
    return changed;
  }

  /** Compacts every session still open (the housekeeping alarm); returns how many chunks changed. */
  async compactOpen(now: number, options: CompactOptions = DEFAULT_COMPACT): Promise<number> {
    let changed = 0;
    for (const s of await this.db.getAll('sessions'))
      if (s.endedAt === undefined) changed += await this.compact(s.id, now, options);
    return changed;
  }

  /** Deletes sessions that started before `cutoff`; returns how many. */
  async deleteStartedBefore(cutoff: number): Promise<number> {
    const old = await this.db.getAllKeysFromIndex(
      'sessions',
      'byStart',
      IDBKeyRange.upperBound(cutoff, true),
    );
    for (const id of old) await this.delete(id);
    return old.length;
  }

  /** Bytes of timeline data the session holds (times and probabilities). */
  async timelineBytes(sessionId: string): Promise<number> {
    const chunks = await this.db.getAllFromIndex('chunks', 'bySession', sessionId);
    return chunks.reduce((a, c) => a + c.t.byteLength + c.p.byteLength, 0);
  }

  /** Ends every session still open (after a browser restart), at its last sample. */
  async endOpenSessions(fallbackEnd: number): Promise<string[]> {
    const open = (await this.db.getAll('sessions')).filter((s) => s.endedAt === undefined);
    for (const s of open) {
      const chunks = await this.db.getAllFromIndex('chunks', 'bySession', s.id);
      const last = Math.max(s.startedAt, ...chunks.map((c) => c.t[c.t.length - 1] ?? 0));
      await this.endSession(s.id, chunks.length ? last : Math.min(fallbackEnd, s.startedAt));
    }
    return open.map((s) => s.id);
  }
}
