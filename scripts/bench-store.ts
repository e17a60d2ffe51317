/**
 * The session store's part of `npm run bench -- --part store` (or `npx tsx scripts/bench-store.ts`):
 * what the popup and the history page cost to read, as sessions grow, in Node with fake-indexeddb.
 *
 * It records, as the recorder does (a write every `--batch-s` seconds), a two-hour call of nine
 * people at two samples a second per person, and measures at 15, 30, 60 and 120 minutes what the
 * popup needs for the running session's summary: the old path (read every sample, summarise) and
 * the new (the summary the store keeps). Then it stores ended sessions of assorted lengths and
 * measures what the history page needs for its rows (the list and the newest 50 summaries), old
 * and new, at 10, 25 and 50 sessions and beyond. The popup's timeline chart still reads the
 * samples; that column is shown apart. Medians of `--runs` repetitions; fake-indexeddb is slower
 * than a browser's IndexedDB, so compare the columns of one run.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { EMOTIONS } from '../src/shared/emotions.ts';
import type { Sample } from '../src/shared/session.ts';
import { SessionStore } from '../src/shared/session-store.ts';
import { summariseSession } from '../src/shared/summary.ts';

export interface StoreBenchOptions {
  runs: number;
  /** Seconds of samples per write. */
  batchS: number;
  people: number;
  minutes: number;
}

export interface PopupRow {
  minutes: number;
  samples: number;
  oldMs: number;
  newMs: number;
  timelinesMs: number;
  /** Largest difference of the call's emotion shares, old vs new (downsampled timelines vs samples recorded). */
  shareDiff: number;
}

export interface FrameRow {
  /** One frame's write (one sample per person) into the two-hour call, with its summary kept and without. */
  appendMs: number;
  appendBareMs: number;
  /** What the recorder waited on each minute before: reading every chunk of the call to downsample it. */
  oldCompactionReadMs: number;
}

export interface HistoryRow {
  sessions: number;
  samples: number;
  oldMs: number;
  newMs: number;
  /** Largest difference of any row's valence, old vs new. */
  valenceDiff: number;
}

const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);

/** A deterministic walk of expressions for one person: runs of one emotion, some noise. */
function person(seed: number) {
  let x = seed + 1;
  const rand = () => (x = (x * 16807) % 2147483647) / 2147483647;
  let mood = seed % 7;
  return (): number[] => {
    if (rand() < 0.01) mood = Math.floor(rand() * 7);
    const strength = 0.35 + 0.6 * rand();
    return EMOTIONS.map((_, k) => (k === mood ? strength : (1 - strength) / 6));
  };
}

/** Records `people` people from `from` for `ms`, a write per `batchMs`, as the recorder does. */
async function record(
  store: SessionStore,
  sessionId: string,
  from: number,
  ms: number,
  people: (() => number[])[],
  batchMs: number,
): Promise<number> {
  let count = 0;
  for (let t = from; t < from + ms; t += batchMs) {
    const samples: Sample[] = [];
    for (let dt = 0; dt < batchMs; dt += 500)
      people.forEach((next, k) => samples.push({ participantId: `v${k + 1}`, t: t + dt + k, p: next() }));
    await store.append(
      sessionId,
      samples,
      t === from ? people.map((_, k) => ({ id: `v${k + 1}`, firstSeen: from })) : [],
    );
    count += samples.length;
  }
  return count;
}

async function median(runs: number, f: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await f();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** The history page's rows, the old way: the list, then every sample of the newest 50, summarised. */
async function historyOld(store: SessionStore) {
  const list = await store.list();
  const out = new Map<string, ReturnType<typeof summariseSession>>();
  for (const meta of list.slice(0, 50)) {
    const data = await store.get(meta.id);
    if (data) out.set(meta.id, summariseSession(data));
  }
  return out;
}

/** The history page's rows now: the list, then the newest 50 summaries the store keeps. */
async function historyNew(store: SessionStore) {
  const list = await store.list();
  return store.summaries(list.slice(0, 50).map((s) => s.id));
}

export async function runStoreBench(
  options: StoreBenchOptions,
): Promise<{ popup: PopupRow[]; frame: FrameRow; history: HistoryRow[] }> {
  const name = `bench-store-${Date.now()}`;
  const store = await SessionStore.open(name);
  const batchMs = options.batchS * 1000;
  const people = Array.from({ length: options.people }, (_, k) => person(k));

  // the running call, read as the popup reads it, at checkpoints
  const call = await store.createSession({
    title: 'Long call',
    origin: 'https://meet.example',
    startedAt: T0,
  });
  const popup: PopupRow[] = [];
  let written = 0;
  let samples = 0;
  for (const minutes of [15, 30, 60, 120].filter((m) => m <= options.minutes)) {
    samples += await record(store, call.id, T0 + written, minutes * 60_000 - written, people, batchMs);
    written = minutes * 60_000;
    // the hourly alarm (or, before, the recorder every minute) downsamples the old chunks
    await store.compact(call.id, T0 + written);
    const full = await store.get(call.id);
    const old = full && summariseSession(full);
    const kept = await store.summary(call.id);
    popup.push({
      minutes,
      samples,
      oldMs: await median(options.runs, async () => {
        const data = await store.get(call.id);
        return data && summariseSession(data);
      }),
      newMs: await median(options.runs, () => store.summary(call.id)),
      timelinesMs: await median(options.runs, () => store.get(call.id)),
      // the kept summary is of the samples as recorded; the timelines are downsampled after 10 min
      shareDiff: Math.max(
        ...EMOTIONS.map((e) => Math.abs((old?.shares[e] ?? NaN) - (kept?.shares[e] ?? NaN))),
      ),
    });
    process.stderr.write(`bench store: running call at ${minutes} min measured\n`);
  }
  // the frame path at the call's end: a frame's write into the call (its summary kept) and, taken
  // in turns with it, into a session without a summary record (as one begun before this change)
  const bare = await store.createSession({ title: 'Bare', origin: 'https://meet.example', startedAt: T0 });
  const raw = await openDB(name);
  await raw.delete('summaries', bare.id);
  raw.close();
  let at = T0 + written;
  const frame = (id: string) => () =>
    store.append(
      id,
      people.map((next, k) => ({ participantId: `v${k + 1}`, t: at + k, p: next() })),
    );
  const withSummary: number[] = [];
  const without: number[] = [];
  // many frames: the first few hundred writes run cold code and meet the garbage of the reads above
  for (let i = 0; i < Math.max(600, options.runs * 100); i++) {
    at += 500;
    withSummary.push(await median(1, frame(call.id)));
    without.push(await median(1, frame(bare.id)));
  }
  const mid = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)] as number;
  const appendMs = mid(withSummary);
  const appendBareMs = mid(without);
  const oldCompactionReadMs = await median(options.runs, () => store.timelineBytes(call.id));
  await store.delete(bare.id);
  written = at - T0 + 1000;
  await store.endSession(call.id, T0 + written);
  await store.compact(call.id, Number.POSITIVE_INFINITY);

  // ended sessions of assorted lengths (5 to 30 min, 1 to 9 people), older than the call
  const history: HistoryRow[] = [];
  let total = samples;
  let sessions = 1;
  for (const target of [10, 25, 50, 100]) {
    for (; sessions < target; sessions++) {
      const startedAt = T0 - (200 - sessions) * 86_400_000;
      const minutes = 5 + ((sessions * 37) % 26);
      const who = people.slice(0, 1 + ((sessions * 5) % 9));
      const meta = await store.createSession({
        title: `Call ${sessions}`,
        origin: 'https://meet.example',
        startedAt,
      });
      total += await record(store, meta.id, startedAt, minutes * 60_000, who, 60_000);
      await store.endSession(meta.id, startedAt + minutes * 60_000);
      await store.compact(meta.id, Number.POSITIVE_INFINITY);
    }
    const before = await historyOld(store);
    const after = await historyNew(store);
    history.push({
      sessions,
      samples: total,
      oldMs: await median(options.runs, () => historyOld(store)),
      newMs: await median(options.runs, () => historyNew(store)),
      valenceDiff: Math.max(
        ...[...before].map(([id, s]) => Math.abs(s.meanValence - (after.get(id)?.meanValence ?? NaN))),
      ),
    });
    process.stderr.write(`bench store: history of ${sessions} sessions measured\n`);
  }
  store.close();
  return { popup, frame: { appendMs, appendBareMs, oldCompactionReadMs }, history };
}

export function storeTables(r: { popup: PopupRow[]; frame: FrameRow; history: HistoryRow[] }): string {
  const f = (x: number) => x.toFixed(1);
  return [
    '| popup: running call (9 people, 2 samples/s each) | samples | old: read all + summarise, ms | new: kept summary, ms | (chart: read all samples, ms) | max share difference |',
    '| --- | --- | --- | --- | --- | --- |',
    ...r.popup.map(
      (p) =>
        `| ${p.minutes} min | ${p.samples} | ${f(p.oldMs)} | ${f(p.newMs)} | ${f(p.timelinesMs)} | ${p.shareDiff.toFixed(4)} |`,
    ),
    '',
    '| frame path, two-hour call | ms |',
    '| --- | --- |',
    `| a frame's write (9 samples), summary kept | ${f(r.frame.appendMs)} |`,
    `| a frame's write (9 samples), no summary (as before) | ${f(r.frame.appendBareMs)} |`,
    `| before: read of every chunk the recorder waited on once a minute (now: none) | ${f(r.frame.oldCompactionReadMs)} |`,
    '',
    '| history page: sessions stored | samples stored | old: list + 50 x (read all + summarise), ms | new: list + 50 kept summaries, ms | max valence difference |',
    '| --- | --- | --- | --- | --- |',
    ...r.history.map(
      (h) => `| ${h.sessions} | ${h.samples} | ${f(h.oldMs)} | ${f(h.newMs)} | ${h.valenceDiff.toFixed(4)} |`,
    ),
  ].join('\n');
}

export function parseStoreOptions(args: string[]): StoreBenchOptions {
  const { values } = parseArgs({
    args,
    strict: false,
    options: {
      runs: { type: 'string', default: '5' },
      'batch-s': { type: 'string', default: '5' },
      people: { type: 'string', default: '9' },
      minutes: { type: 'string', default: '120' },
    },
  });
  return {
    runs: Number(values.runs),
    batchS: Number(values['batch-s']),
    people: Number(values.people),
    minutes: Number(values.minutes),
  };
}

export async function mainStoreBench(args: string[]): Promise<void> {
  const options = parseStoreOptions(args);
  const result = await runStoreBench(options);
  console.log(
    `MoodLens session-store benchmark (Node, fake-indexeddb, medians of ${options.runs} runs, a write every ${options.batchS} s)\n`,
  );
  console.log(storeTables(result));
  console.log(JSON.stringify({ store: result }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  await mainStoreBench(process.argv.slice(2));
