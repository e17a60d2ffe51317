/**
 * The session summary: for each participant the share of time in each emotion, the dominant
 * emotion, the valence trend and notable moments; and the mood of the whole call.
 *
 * Every figure is a fold over a participant's samples in time order (`TimelineState`, `addSample`)
 * and a finish (`finishTimeline`): the store folds samples in as it records them, so a running
 * session's summary costs the same after two hours as after two minutes, and `summariseSession`
 * folds a stored timeline in one go. Both run the same arithmetic in the same order, so they give
 * the same numbers (src/shared/summary.test.ts checks it on a scripted session).
 */
import { dominantOf, EMOTIONS, NEGATIVE, valenceOf, type Emotion } from './emotions';
import type { SessionData, SessionMeta, Timeline } from './session';

/** A sample stands for the time until the next one, but never for more than this (a gap). */
export const MAX_SAMPLE_SPAN_MS = 5000;

export type MomentKind = 'surprise' | 'happy' | 'negative';
const MOMENT_KINDS: readonly MomentKind[] = ['surprise', 'happy', 'negative'];

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

/**
 * One participant's running totals (structured-cloneable: the store keeps it in IndexedDB).
 * Each sample's span is known once the next sample comes; the newest sample's span is the median
 * of the spans before it, so the spans are kept as a histogram (few distinct values).
 */
export interface TimelineState {
  participantId: string;
  samples: number;
  /** The newest sample: its time, dominant emotion and valence. */
  lastT: number;
  lastDominant: Emotion;
  lastValence: number;
  /** Time (ms) in which each emotion was dominant, newest sample not counted yet. */
  shareMs: Record<Emotion, number>;
  observedMs: number;
  /** Valence times span, summed. */
  valenceMs: number;
  /** Spans between samples (capped): span -> how many. */
  gaps: Map<number, number>;
  /** Running means and co-moments of (time since the first sample, valence), for the slope. */
  t0: number;
  meanT: number;
  meanV: number;
  coTV: number;
  coTT: number;
  /** Moment candidates that can still be chosen, per kind, strongest first (see `pruneCandidates`). */
  candidates: Record<MomentKind, Moment[]>;
}

export function newTimelineState(participantId: string): TimelineState {
  return {
    participantId,
    samples: 0,
    lastT: 0,
    lastDominant: 'neutral',
    lastValence: 0,
    shareMs: zeroShares(),
    observedMs: 0,
    valenceMs: 0,
    gaps: new Map(),
    t0: 0,
    meanT: 0,
    meanV: 0,
    coTV: 0,
    coTT: 0,
    candidates: { surprise: [], happy: [], negative: [] },
  };
}

function momentValue(kind: MomentKind, p: ArrayLike<number>): number {
  if (kind === 'negative') return NEGATIVE.reduce((a, e) => a + (p[EMOTIONS.indexOf(e)] ?? 0), 0);
  return p[EMOTIONS.indexOf(kind)] ?? 0;
}

/** Strongest first; of equal strength, the earliest first. */
const byStrength = (a: Moment, b: Moment) => b.p - a.p || a.t - b.t;

/** Greedy choice in strength order: at most `limit`, each at least `separation` from those chosen. */
function choose(sorted: readonly Moment[], separation: number, limit: number): number[] {
  const kept: number[] = [];
  for (let i = 0; i < sorted.length && kept.length < limit; i++) {
    const m = sorted[i] as Moment;
    if (kept.every((k) => Math.abs((sorted[k] as Moment).t - m.t) >= separation)) kept.push(i);
  }
  return kept;
}

/**
 * Drops the candidates that can never be chosen, whatever samples come later. If `limit`
 * stronger candidates lie pairwise at least twice the separation apart, each of them is either
 * chosen or blocked by a chosen one within the separation, and no chosen one can block two of
 * them; so `limit` moments are chosen before any weaker candidate is reached, in this set and in
 * any larger one, and the weaker ones change nothing. The candidates left are those of the
 * `limit` strongest well-separated peaks and their neighbours: a few dozen at most.
 */
function pruneCandidates(sorted: Moment[], options: SummaryOptions): void {
  const witnesses = choose(sorted, 2 * options.momentSeparationMs, options.momentsPerKind);
  if (witnesses.length === options.momentsPerKind) sorted.length = (witnesses.at(-1) as number) + 1;
}

/** Folds one sample (7 probabilities, EMOTIONS order) in; samples come in time order. */
export function addSample(
  s: TimelineState,
  t: number,
  p: ArrayLike<number>,
  options: SummaryOptions = DEFAULT_SUMMARY,
): void {
  if (s.samples > 0) {
    // the previous sample's span is now known
    const span = Math.min(MAX_SAMPLE_SPAN_MS, t - s.lastT);
    s.shareMs[s.lastDominant] += span;
    s.observedMs += span;
    s.valenceMs += s.lastValence * span;
    s.gaps.set(span, (s.gaps.get(span) ?? 0) + 1);
  } else s.t0 = t;
  const valence = valenceOf(p);
  s.samples++;
  s.lastT = t;
  s.lastDominant = dominantOf(p).emotion;
  s.lastValence = valence;
  // Welford's update, on times since the first sample (stable over hours of epoch milliseconds)
  const dt = t - s.t0 - s.meanT;
  s.meanT += dt / s.samples;
  s.meanV += (valence - s.meanV) / s.samples;
  s.coTV += dt * (valence - s.meanV);
  s.coTT += dt * (t - s.t0 - s.meanT);
  for (const kind of MOMENT_KINDS) {
    const value = momentValue(kind, p);
    if (value < options.momentThreshold) continue;
    const list = s.candidates[kind];
    const m: Moment = { kind, t, p: value };
    let at = list.length;
    while (at > 0 && byStrength(list[at - 1] as Moment, m) > 0) at--;
    list.splice(at, 0, m);
    pruneCandidates(list, options);
  }
}

/** The median span between samples (the upper one of an even count); 1000 ms for one sample. */
function medianGap(s: TimelineState): number {
  const count = s.samples - 1;
  if (count <= 0) return 1000;
  let rank = Math.floor(count / 2);
  for (const gap of [...s.gaps.keys()].sort((a, b) => a - b)) {
    rank -= s.gaps.get(gap) ?? 0;
    if (rank < 0) return gap;
  }
  return 1000;
}

/** Moments of the samples folded in: the strongest peaks of each kind, separated, in time order. */
function momentsOf(s: TimelineState, options: SummaryOptions): Moment[] {
  const out: Moment[] = [];
  for (const kind of MOMENT_KINDS) {
    const list = s.candidates[kind];
    out.push(
      ...choose(list, options.momentSeparationMs, options.momentsPerKind).map((i) => list[i] as Moment),
    );
  }
  return out.sort((a, b) => a.t - b.t).map((m) => ({ ...m }));
}

/** The participant's summary from its running totals (the state is not changed). */
export function finishTimeline(
  s: TimelineState,
  name: string,
  options: SummaryOptions = DEFAULT_SUMMARY,
): ParticipantSummary {
  const shares = { ...s.shareMs };
  let observed = s.observedMs;
  let valenceSum = s.valenceMs;
  if (s.samples > 0) {
    const span = medianGap(s);
    shares[s.lastDominant] += span;
    observed += span;
    valenceSum += s.lastValence * span;
  }
  let dominant: Emotion | undefined;
  for (const e of EMOTIONS) {
    if (observed > 0) shares[e] /= observed;
    if (observed > 0 && (dominant === undefined || shares[e] > shares[dominant])) dominant = e;
  }
  const slope = s.samples < 2 || s.coTT === 0 ? 0 : (s.coTV / s.coTT) * 60_000;
  return {
    participantId: s.participantId,
    name,
    samples: s.samples,
    observedMs: observed,
    shares,
    dominant,
    meanValence: observed > 0 ? valenceSum / observed : 0,
    valenceSlopePerMin: slope,
    trend: Math.abs(slope) < options.steadySlope ? 'steady' : slope > 0 ? 'rising' : 'falling',
    moments: momentsOf(s, options),
  };
}

function foldTimeline(tl: Timeline, options: SummaryOptions): TimelineState {
  const s = newTimelineState(tl.participantId);
  tl.t.forEach((t, i) => addSample(s, t, tl.p[i] ?? [], options));
  return s;
}

/** Peaks at or above the threshold, strongest first within each kind, at least `separation` apart. */
export function notableMoments(tl: Timeline, options: SummaryOptions = DEFAULT_SUMMARY): Moment[] {
  return momentsOf(foldTimeline(tl, options), options);
}

export function summariseTimeline(
  tl: Timeline,
  name: string,
  options: SummaryOptions = DEFAULT_SUMMARY,
): ParticipantSummary {
  return finishTimeline(foldTimeline(tl, options), name, options);
}

/** The call's summary from its participants' summaries; `lastSampleAt` ends a running session. */
export function callSummary(
  meta: SessionMeta,
  participants: ParticipantSummary[],
  lastSampleAt: number,
): CallSummary {
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
  const end = meta.endedAt ?? Math.max(meta.startedAt, lastSampleAt);
  return {
    participants,
    shares,
    dominant,
    meanValence,
    mood: meanValence > 0.1 ? 'positive' : meanValence < -0.1 ? 'negative' : 'neutral',
    durationMs: Math.max(0, end - meta.startedAt),
  };
}

/** The summary with the participants' names as the meta has them now (they may be renamed). */
export function withNames(summary: CallSummary, meta: SessionMeta): CallSummary {
  const names = new Map(meta.participants.map((p) => [p.id, p.name]));
  return {
    ...summary,
    participants: summary.participants.map((p) => ({ ...p, name: names.get(p.participantId) ?? p.name })),
  };
}

/** The summary of a whole stored session, folded from its timelines. */
export function summariseSession(data: SessionData, options: SummaryOptions = DEFAULT_SUMMARY): CallSummary {
  const names = new Map(data.meta.participants.map((p) => [p.id, p.name]));
  const participants = data.timelines
    .filter((tl) => tl.t.length > 0)
    .map((tl) => summariseTimeline(tl, names.get(tl.participantId) ?? tl.participantId, options));
  return callSummary(data.meta, participants, Math.max(0, ...data.timelines.map((tl) => tl.t.at(-1) ?? 0)));
}
