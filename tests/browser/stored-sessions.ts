/**
 * Sessions as the background stored them, read from IndexedDB in an extension page (the popup's
 * origin): `page.evaluate(storedSessions)` in Chromium (playwright) and Firefox (puppeteer).
 */
export interface StoredSession {
  id: string;
  title: string;
  samples: number;
  startedAt: number;
  endedAt?: number;
  /** Time of the newest sample. */
  lastT: number;
  names: Record<string, string>;
  /** Samples in the chunks, per participant. */
  counts: Record<string, number>;
  /** The first sample of each participant: time and probabilities. */
  first: Record<string, { t: number; p: number[] }>;
}

/** Runs in the extension page. */
export const storedSessions = async (): Promise<StoredSession[]> => {
  // never create the database here (an empty one would stand in the background's way)
  if (!(await indexedDB.databases()).some((d) => d.name === 'moodlens')) return [];
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open('moodlens');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(new Error(String(r.error)));
  });
  // one read-only transaction over both stores: a consistent snapshot while the background writes
  const tx = db.transaction(['sessions', 'chunks']);
  const all = <T>(store: string) =>
    new Promise<T[]>((resolve, reject) => {
      const r = tx.objectStore(store).getAll();
      r.onsuccess = () => resolve(r.result as T[]);
      r.onerror = () => reject(new Error(String(r.error)));
    });
  type Meta = {
    id: string;
    title: string;
    samples: number;
    startedAt: number;
    endedAt?: number;
    participants: { id: string; name: string }[];
  };
  type Chunk = {
    sessionId: string;
    participantId: string;
    start: number;
    t: Float64Array;
    p: Float32Array;
  };
  const [metas, chunks] = await Promise.all([all<Meta>('sessions'), all<Chunk>('chunks')]);
  db.close();
  return metas.map((m) => {
    const mine = chunks.filter((c) => c.sessionId === m.id).sort((a, b) => a.start - b.start);
    const counts: Record<string, number> = {};
    const first: Record<string, { t: number; p: number[] }> = {};
    for (const c of mine) {
      counts[c.participantId] = (counts[c.participantId] ?? 0) + c.t.length;
      first[c.participantId] ??= { t: c.t[0] ?? 0, p: Array.from(c.p.subarray(0, 7)) };
    }
    return {
      id: m.id,
      title: m.title,
      samples: m.samples,
      startedAt: m.startedAt,
      endedAt: m.endedAt,
      lastT: Math.max(m.startedAt, ...mine.map((c) => c.t[c.t.length - 1] ?? 0)),
      names: Object.fromEntries(m.participants.map((p) => [p.id, p.name])),
      counts,
      first,
    };
  });
};
