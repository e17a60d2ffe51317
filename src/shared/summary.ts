/**
 * The session summary: for each participant the share of time in each emotion, the dominant
 * emotion, the valence trend and notable moments; and the mood of the whole call. Pure functions
 * of the stored timelines, so the popup, the report page and the tests compute the same numbers.
 */
import { dominantOf, EMOTIONS, NEGATIVE, valenceOf, type Emotion } from './emotions';
import type { SessionData, Timeline } from './session';

/** A sample stands for the time until the next one, but never for more than this (a gap). */
export const MAX_SAMPLE_SPAN_MS = 5000;

export type MomentKind = 'surprise' | 'happy' | 'negative';

export interface Moment {
  kind: MomentKind;
  /** ms since the epoch. */
  t: number;
  /** The probability (for 'negative', the sum of angry, disgust, fear and sad). */
  p: number;
}

export interface ParticipantSummary {
  participantId: string;
  name: string;
  samples: number;
  /** Time covered by samples (ms). */
  observedMs: number;
  /** Share of observed time in which each emotion was dominant; sums to 1 (0 when no samples). */
  shares: Record<Emotion, number>;
  dominant: Emotion | undefined;
  /** Mean valence over observed time (-1 ... 1). */
  meanValence: number;
  /** Least-squares slope of valence, per minute. */
  valenceSlopePerMin: number;
  trend: 'rising' | 'falling' | 'steady';
  moments: Moment[];
}

export interface CallSummary {
  participants: ParticipantSummary[];
  /** Over all participants, weighted by observed time. */
  shares: Record<Emotion, number>;
  dominant: Emotion | undefined;
  meanValence: number;
  mood: 'positive' | 'negative' | 'neutral';
  durationMs: number;
}

export interface SummaryOptions {
  /** A moment is notable when its probability reaches this. */
  momentThreshold: number;
  /** Moments of one kind closer than this keep only the strongest. */
  momentSeparationMs: number;
  /** At most this many moments per kind and participant. */
  momentsPerKind: number;
  /** |slope| below this (valence per minute) is "steady". */
  steadySlope: number;
}

export const DEFAULT_SUMMARY: SummaryOptions = {
  momentThreshold: 0.6,
  momentSeparationMs: 10_000,
  momentsPerKind: 3,
  steadySlope: 0.02,
};

function zeroShares(): Record<Emotion, number> {
  return Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Record<Emotion, number>;
}

/** How long each sample stands for: until the next one, capped; the last gets the median span. */
export function sampleSpans(t: readonly number[]): number[] {
  if (t.length === 0) return [];
  const gaps = t.slice(1).map((x, i) => Math.min(MAX_SAMPLE_SPAN_MS, x - (t[i] as number)));
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted.length ? (sorted[Math.floor(sorted.length / 2)] as number) : 1000;
  return [...gaps, median];
}

function slopePerMinute(t: readonly number[], v: readonly number[]): number {
  const n = t.length;
  if (n < 2) return 0;
  const mt = t.reduce((a, b) => a + b, 0) / n;
  const mv = v.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dt = (t[i] as number) - mt;
    num += dt * ((v[i] as number) - mv);
    den += dt * dt;
  }
  return den === 0 ? 0 : (num / den) * 60_000;
}

function momentValue(kind: MomentKind, p: readonly number[]): number {
  if (kind === 'negative') return NEGATIVE.reduce((a, e) => a + (p[EMOTIONS.indexOf(e)] ?? 0), 0);
  return p[EMOTIONS.indexOf(kind)] ?? 0;
}

/** Peaks at or above the threshold, strongest first within each kind, at least `separation` apart. */
export function notableMoments(tl: Timeline, options: SummaryOptions = DEFAULT_SUMMARY): Moment[] {
  const out: Moment[] = [];
  for (const kind of ['surprise', 'happy', 'negative'] as const) {
    const candidates = tl.t
      .map((t, i) => ({ kind, t, p: momentValue(kind, tl.p[i] ?? []) }))
      .filter((m) => m.p >= options.momentThreshold)
      .sort((a, b) => b.p - a.p || a.t - b.t);
    const kept: Moment[] = [];
    for (const m of candidates) {
      if (kept.length >= options.momentsPerKind) break;
      if (kept.every((k) => Math.abs(k.t - m.t) >= options.momentSeparationMs)) kept.push(m);
    }
    out.push(...kept);
  }
  return out.sort((a, b) => a.t - b.t);
}

export function summariseTimeline(
  tl: Timeline,
  name: string,
  options: SummaryOptions = DEFAULT_SUMMARY,
): ParticipantSummary {
  const spans = sampleSpans(tl.t);
  const shares = zeroShares();
  let observed = 0;
  let valenceSum = 0;
  const valences = tl.p.map((p) => valenceOf(p));
  tl.p.forEach((p, i) => {
    const span = spans[i] ?? 0;
    const d = dominantOf(p);
    shares[d.emotion] += span;
    observed += span;
    valenceSum += (valences[i] ?? 0) * span;
  });
  let dominant: Emotion | undefined;
  for (const e of EMOTIONS) {
    if (observed > 0) shares[e] /= observed;
    if (observed > 0 && (dominant === undefined || shares[e] > shares[dominant])) dominant = e;
  }
  const slope = slopePerMinute(tl.t, valences);
  return {
    participantId: tl.participantId,
    name,
    samples: tl.t.length,
    observedMs: observed,
    shares,
    dominant,
    meanValence: observed > 0 ? valenceSum / observed : 0,
    valenceSlopePerMin: slope,
    trend: Math.abs(slope) < options.steadySlope ? 'steady' : slope > 0 ? 'rising' : 'falling',
    moments: notableMoments(tl, options),
  };
}

export function summariseSession(data: SessionData, options: SummaryOptions = DEFAULT_SUMMARY): CallSummary {
  const names = new Map(data.meta.participants.map((p) => [p.id, p.name]));
  const participants = data.timelines
    .filter((tl) => tl.t.length > 0)
    .map((tl) => summariseTimeline(tl, names.get(tl.participantId) ?? tl.participantId, options));
  const shares = zeroShares();
  let observed = 0;
  let valence = 0;
  for (const s of participants) {
    observed += s.observedMs;
    valence += s.meanValence * s.observedMs;
    for (const e of EMOTIONS) shares[e] += s.shares[e] * s.observedMs;
  }
  let dominant: Emotion | undefined;
  for (const e of EMOTIONS) {
    if (observed > 0) shares[e] /= observed;
    if (observed > 0 && (dominant === undefined || shares[e] > shares[dominant])) dominant = e;
  }
  const meanValence = observed > 0 ? valence / observed : 0;
  const end =
    data.meta.endedAt ?? Math.max(data.meta.startedAt, ...data.timelines.map((tl) => tl.t.at(-1) ?? 0));
  return {
    participants,
    shares,
    dominant,
    meanValence,
    mood: meanValence > 0.1 ? 'positive' : meanValence < -0.1 ? 'negative' : 'neutral',
    durationMs: Math.max(0, end - data.meta.startedAt),
  };
}
