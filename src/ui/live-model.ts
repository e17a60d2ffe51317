/**
 * What a live view keeps of a running session, fed by pushed samples (ExtensionClient.watchSamples)
 * and seeded once from the store when the view opens: each participant's last few minutes at full
 * resolution, the whole session in coarse buckets (the overview), the notable moments as they
 * happen and the mood of the last seconds. Adding a frame's samples costs the same after two hours
 * as after two minutes. Pure: no DOM, no extension.
 */
import { dominantOf, EMOTIONS, NEGATIVE, valenceOf, type Emotion } from '../shared/emotions';
import type { LiveSample } from '../shared/protocol';
import type { Timeline } from '../shared/session';
import { DEFAULT_SUMMARY, type MomentKind } from '../shared/summary';

/** The live strip's span. */
export const LIVE_WINDOW_MS = 3 * 60_000;
/** The overview's resolution. */
export const BUCKET_MS = 10_000;
/** "The mood now" is the mean over this last span. */
export const MOOD_WINDOW_MS = 30_000;
const MAX_MOMENTS = 12;

export interface LiveMoment {
  participantId: string;
  kind: MomentKind;
  t: number;
  p: number;
}

export interface MoodNow {
  mood: 'positive' | 'negative' | 'neutral';
  dominant: Emotion;
  valence: number;
  participants: number;
}

const NEGATIVE_INDICES = NEGATIVE.map((e) => EMOTIONS.indexOf(e));

function momentScores(p: ArrayLike<number>): [MomentKind, number][] {
  return [
    ['surprise', p[EMOTIONS.indexOf('surprise')] ?? 0],
    ['happy', p[EMOTIONS.indexOf('happy')] ?? 0],
    ['negative', NEGATIVE_INDICES.reduce((sum, k) => sum + (p[k] ?? 0), 0)],
  ];
}

export class LiveModel {
  /** Per participant, the samples of the last LIVE_WINDOW_MS (times ascending). */
  readonly recent = new Map<string, Timeline>();
  /** Per participant, bucket index (from `start`) -> summed probabilities, then the count. */
  private readonly buckets = new Map<string, Map<number, number[]>>();
  /** Newest first. */
  moments: LiveMoment[] = [];
  /** The first sample's time, the overview's origin. */
  start: number | undefined;
  /** The newest sample's time. */
  latest = 0;
  /** Bumped by every change (a view re-renders on it). */
  version = 0;

  constructor(private readonly windowMs = LIVE_WINDOW_MS) {}

  /** A frame's samples as the background pushes them. */
  add(samples: readonly LiveSample[]): void {
    for (const s of samples) this.addOne(s.participantId, s.t, s.p, true);
    this.version++;
  }

  /**
   * The session as stored when the view opened; samples already pushed are not counted twice
   * (for each participant, only stored samples older than its first pushed one are taken).
   */
  seed(timelines: readonly Timeline[]): void {
    for (const tl of timelines) {
      const pushed = this.recent.get(tl.participantId)?.t[0] ?? Number.POSITIVE_INFINITY;
      const older: { t: number; p: number[] }[] = [];
      tl.t.forEach((t, i) => {
        if (t < pushed) older.push({ t, p: tl.p[i] ?? [] });
      });
      const pushedRecent = this.recent.get(tl.participantId);
      this.recent.delete(tl.participantId);
      for (const s of older) this.addOne(tl.participantId, s.t, s.p, false);
      if (pushedRecent)
        pushedRecent.t.forEach((t, i) => this.appendRecent(tl.participantId, t, pushedRecent.p[i] ?? []));
    }
    this.trim();
    this.version++;
  }

  private addOne(id: string, t: number, p: ArrayLike<number>, live: boolean): void {
    const probabilities = Array.from(p);
    const last = this.recent.get(id)?.t.at(-1);
    if (last !== undefined && t <= last) return; // a repeat (seed and push overlap)
    if (this.start === undefined || t < this.start) this.rebase(t);
    this.latest = Math.max(this.latest, t);
    this.appendRecent(id, t, probabilities);
    const start = this.start ?? t;
    const index = Math.floor((t - start) / BUCKET_MS);
    let rows = this.buckets.get(id);
    if (!rows) this.buckets.set(id, (rows = new Map<number, number[]>()));
    const sum = rows.get(index) ?? new Array<number>(EMOTIONS.length + 1).fill(0);
    probabilities.forEach((v, k) => (sum[k] = (sum[k] ?? 0) + v));
    sum[EMOTIONS.length] = (sum[EMOTIONS.length] ?? 0) + 1;
    rows.set(index, sum);
    if (live) {
      this.noteMoments(id, t, probabilities);
      this.trim();
    }
  }

  private appendRecent(id: string, t: number, p: number[]): void {
    let tl = this.recent.get(id);
    if (!tl) this.recent.set(id, (tl = { participantId: id, t: [], p: [] }));
    tl.t.push(t);
    tl.p.push(p);
  }

  /** An earlier sample than the overview's origin (a seed): the buckets move with it. */
  private rebase(t: number): void {
    const old = this.start;
    this.start = Math.floor(t / BUCKET_MS) * BUCKET_MS;
    if (old === undefined) return;
    const shift = Math.round((old - this.start) / BUCKET_MS);
    for (const [id, rows] of this.buckets)
      this.buckets.set(id, new Map([...rows].map(([i, v]) => [i + shift, v])));
  }

  private trim(): void {
    const from = this.latest - this.windowMs;
    for (const tl of this.recent.values()) {
      let drop = 0;
      while (drop < tl.t.length && (tl.t[drop] ?? 0) < from) drop++;
      if (drop) {
        tl.t.splice(0, drop);
        tl.p.splice(0, drop);
      }
    }
  }

  private noteMoments(id: string, t: number, p: number[]): void {
    const { momentThreshold, momentSeparationMs } = DEFAULT_SUMMARY;
    for (const [kind, score] of momentScores(p)) {
      if (score < momentThreshold) continue;
      const near = this.moments.find(
        (m) => m.participantId === id && m.kind === kind && t - m.t < momentSeparationMs,
      );
      if (near) {
        // one moment per peak: the strongest sample of it
        if (score > near.p) Object.assign(near, { t, p: score });
        continue;
      }
      this.moments = [{ participantId: id, kind, t, p: score }, ...this.moments].slice(0, MAX_MOMENTS);
    }
  }

  /** The participants' current samples (the newest of each, within the mood window). */
  current(id: string): { dominant: Emotion; p: number; t: number } | undefined {
    const tl = this.recent.get(id);
    const t = tl?.t.at(-1);
    const p = tl?.p.at(-1);
    if (t === undefined || !p) return undefined;
    const d = dominantOf(p);
    return { dominant: d.emotion, p: d.p, t };
  }

  /** The call's mood over the last MOOD_WINDOW_MS: every sample of every participant, averaged. */
  moodNow(): MoodNow | undefined {
    const from = this.latest - MOOD_WINDOW_MS;
    const sum = new Array<number>(EMOTIONS.length).fill(0);
    let n = 0;
    let people = 0;
    for (const tl of this.recent.values()) {
      let counted = 0;
      tl.t.forEach((t, i) => {
        if (t < from) return;
        (tl.p[i] ?? []).forEach((v, k) => (sum[k] = (sum[k] ?? 0) + v));
        counted++;
      });
      n += counted;
      if (counted > 0) people++;
    }
    if (n === 0) return undefined;
    const mean = sum.map((v) => v / n);
    const valence = valenceOf(mean);
    return {
      mood: valence > 0.1 ? 'positive' : valence < -0.1 ? 'negative' : 'neutral',
      dominant: dominantOf(mean).emotion,
      valence,
      participants: people,
    };
  }

  /**
   * The overview: for each participant, `columns` cells over [start, latest], each the dominant
   * expression of its samples, or undefined where there were none (a gap).
   */
  overview(ids: readonly string[], columns: number): { cells: (Emotion | undefined)[][]; end: number } {
    const start = this.start ?? 0;
    const total = Math.max(1, Math.floor((this.latest - start) / BUCKET_MS) + 1);
    const per = Math.max(1, Math.ceil(total / columns));
    const width = Math.ceil(total / per);
    const cells = ids.map((id) => {
      const rows = this.buckets.get(id);
      return Array.from({ length: width }, (_, c) => {
        const sum = new Array<number>(EMOTIONS.length).fill(0);
        let n = 0;
        for (let b = c * per; b < (c + 1) * per; b++) {
          const v = rows?.get(b);
          if (!v) continue;
          EMOTIONS.forEach((_e, k) => (sum[k] = (sum[k] ?? 0) + (v[k] ?? 0)));
          n += v[EMOTIONS.length] ?? 0;
        }
        return n > 0 ? dominantOf(sum).emotion : undefined;
      });
    });
    return { cells, end: start + width * per * BUCKET_MS };
  }

  /** A participant's whole session so far as one mean sample per bucket (the overview's text). */
  bucketTimeline(id: string): Timeline {
    const start = this.start ?? 0;
    const rows = [...(this.buckets.get(id)?.entries() ?? [])].sort((a, b) => a[0] - b[0]);
    return {
      participantId: id,
      t: rows.map(([i]) => start + i * BUCKET_MS),
      p: rows.map(([, v]) => EMOTIONS.map((_e, k) => (v[k] ?? 0) / (v[EMOTIONS.length] ?? 1))),
    };
  }

  /** Every participant seen, in order of their first sample. */
  participants(): string[] {
    const first = (id: string) => {
      const rows = this.buckets.get(id);
      return rows ? Math.min(...rows.keys()) : Number.POSITIVE_INFINITY;
    };
    return [...this.buckets.keys()].sort(
      (a, b) => first(a) - first(b) || a.localeCompare(b, 'en', { numeric: true }),
    );
  }
}
