import { describe, expect, it } from 'vitest';
import { EMOTIONS, valenceOf, type Emotion } from './emotions';
import type { SessionData, Timeline } from './session';
import {
  addSample,
  finishTimeline,
  newTimelineState,
  notableMoments,
  summariseSession,
  summariseTimeline,
  type Moment,
} from './summary';

/** A probability vector with `p` on one emotion and the rest spread evenly. */
function peak(emotion: Emotion, p = 0.8): number[] {
  return EMOTIONS.map((e) => (e === emotion ? p : (1 - p) / 6));
}

function timeline(id: string, start: number, stepMs: number, emotions: Emotion[], p = 0.8): Timeline {
  return {
    participantId: id,
    t: emotions.map((_, i) => start + i * stepMs),
    p: emotions.map((e) => peak(e, p)),
  };
}

describe('sample spans', () => {
  it('gives each sample the time to the next, capped at 5 s, and the last the median span', () => {
    const observed = (t: number[]) =>
      summariseTimeline({ participantId: 'a', t, p: t.map(() => peak('happy')) }, 'A').observedMs;
    // 500 + 500 + 5000 (a gap of 8 s, capped) + 500, and the median 500 for the last
    expect(observed([0, 500, 1000, 9000, 9500])).toBe(7000);
    // of an even count, the upper median: spans 100, 200, 300, 400 -> 300
    expect(observed([0, 100, 300, 600, 1000])).toBe(1300);
    expect(observed([42])).toBe(1000);
    expect(observed([])).toBe(0);
  });
});

describe('summariseTimeline', () => {
  it('weights shares by time, not by sample count', () => {
    // happy once for 4 s, then neutral sampled 4 times 1 s apart
    const tl: Timeline = {
      participantId: 'a',
      t: [0, 4000, 5000, 6000, 7000],
      p: [peak('happy'), peak('neutral'), peak('neutral'), peak('neutral'), peak('neutral')],
    };
    const s = summariseTimeline(tl, 'Ada');
    expect(s.shares.happy).toBeCloseTo(4 / 8, 9);
    expect(s.shares.neutral).toBeCloseTo(4 / 8, 9);
    expect(Object.values(s.shares).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(s.observedMs).toBe(8000);
    expect(s.name).toBe('Ada');
    expect(s.samples).toBe(5);
  });

  it('finds the dominant emotion and a rising valence trend', () => {
    const s = summariseTimeline(
      timeline('a', 0, 10_000, ['sad', 'sad', 'neutral', 'neutral', 'neutral', 'happy', 'happy']),
      'A',
    );
    expect(s.dominant).toBe('neutral');
    expect(s.trend).toBe('rising');
    expect(s.valenceSlopePerMin).toBeGreaterThan(0.1);
    const falling = summariseTimeline(timeline('b', 0, 10_000, ['happy', 'happy', 'neutral', 'angry']), 'B');
    expect(falling.trend).toBe('falling');
    const steady = summariseTimeline(timeline('c', 0, 10_000, ['neutral', 'neutral', 'neutral']), 'C');
    expect(steady.trend).toBe('steady');
    expect(steady.meanValence).toBeCloseTo((0.2 / 6) * (-0.8 - 0.7 - 0.6 + 1 - 0.7 + 0.2), 9);
  });

  it('reports an empty timeline without a dominant emotion', () => {
    const s = summariseTimeline({ participantId: 'x', t: [], p: [] }, 'X');
    expect(s.dominant).toBeUndefined();
    expect(s.observedMs).toBe(0);
    expect(s.moments).toEqual([]);
  });
});

describe('notableMoments', () => {
  it('keeps the strongest peaks of each kind, at least 10 s apart, in time order', () => {
    const tl: Timeline = {
      participantId: 'a',
      t: [0, 2000, 30_000, 60_000, 61_000, 90_000],
      p: [
        peak('surprise', 0.7),
        peak('surprise', 0.9),
        peak('happy', 0.95),
        peak('sad', 0.5),
        peak('neutral'),
        peak('fear', 0.1),
      ],
    };
    const m = notableMoments(tl);
    // the two surprise peaks 2 s apart keep the stronger; sad 0.5 + the others' share reaches 0.6
    expect(m.map((x) => `${x.kind}@${x.t}`)).toEqual(['surprise@2000', 'happy@30000', 'negative@60000']);
    expect(m[2]?.p).toBeCloseTo(0.5 + (3 * 0.5) / 6, 9);
  });

  it('gives no moment when nothing reaches the threshold', () => {
    expect(notableMoments(timeline('a', 0, 1000, ['neutral', 'neutral'], 0.9))).toEqual([]);
  });
});

describe('summariseSession', () => {
  it('weights the call by each participant’s observed time and names them', () => {
    const data: SessionData = {
      meta: {
        id: 's',
        title: 'Weekly',
        origin: 'https://meet.example',
        startedAt: 0,
        endedAt: 60_000,
        samples: 0,
        participants: [
          { id: 'v1', name: 'Ada', firstSeen: 0 },
          { id: 'v2', name: 'Grace', firstSeen: 0 },
          { id: 'v3', name: 'Nobody', firstSeen: 0 },
        ],
      },
      timelines: [
        timeline('v1', 0, 1000, Array<Emotion>(30).fill('happy')),
        timeline('v2', 0, 1000, Array<Emotion>(10).fill('sad')),
        { participantId: 'v3', t: [], p: [] },
      ],
    };
    const s = summariseSession(data);
    expect(s.participants.map((p) => p.name)).toEqual(['Ada', 'Grace']);
    expect(s.shares.happy).toBeCloseTo(30 / 40, 9);
    expect(s.shares.sad).toBeCloseTo(10 / 40, 9);
    expect(s.dominant).toBe('happy');
    expect(s.mood).toBe('positive');
    expect(s.durationMs).toBe(60_000);
  });
});

/** The moments as the summary defines them, chosen from every candidate at once (no pruning). */
function referenceMoments(tl: Timeline): Moment[] {
  const index = (e: Emotion) => EMOTIONS.indexOf(e);
  const value = (kind: Moment['kind'], p: number[]) =>
    kind === 'negative'
      ? (['angry', 'disgust', 'fear', 'sad'] as const).reduce((a, e) => a + (p[index(e)] ?? 0), 0)
      : (p[index(kind)] ?? 0);
  const out: Moment[] = [];
  for (const kind of ['surprise', 'happy', 'negative'] as const) {
    const candidates = tl.t
      .map((t, i) => ({ kind, t, p: value(kind, tl.p[i] ?? []) }))
      .filter((m) => m.p >= 0.6)
      .sort((a, b) => b.p - a.p || a.t - b.t);
    const kept: Moment[] = [];
    for (const m of candidates) {
      if (kept.length >= 3) break;
      if (kept.every((k) => Math.abs(k.t - m.t) >= 10_000)) kept.push(m);
    }
    out.push(...kept);
  }
  return out.sort((a, b) => a.t - b.t);
}

/** The least-squares slope of valence per minute, in two passes over all samples. */
function referenceSlope(tl: Timeline): number {
  const v = tl.p.map((p) => valenceOf(p));
  const mt = tl.t.reduce((a, b) => a + b, 0) / tl.t.length;
  const mv = v.reduce((a, b) => a + b, 0) / v.length;
  let num = 0;
  let den = 0;
  tl.t.forEach((t, i) => {
    num += (t - mt) * ((v[i] ?? 0) - mv);
    den += (t - mt) ** 2;
  });
  return (num / den) * 60_000;
}

/** A deterministic pseudo-random walk of expressions: long runs, peaks, ramps and gaps. */
function scriptedTimeline(id: string, n: number, seed: number): Timeline {
  let x = seed;
  const rand = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const t: number[] = [];
  const p: number[][] = [];
  let now = Date.UTC(2026, 10, 30, 9, 0, 0);
  let mood = 3;
  for (let i = 0; i < n; i++) {
    now += rand() < 0.01 ? 3000 + Math.round(rand() * 20_000) : 480 + Math.round(rand() * 60);
    if (rand() < 0.02) mood = Math.floor(rand() * 7);
    // slow ramps make long runs of candidates of rising strength, the hard case for pruning
    const strength = 0.45 + 0.5 * Math.abs(Math.sin(i / 150)) * (0.8 + 0.2 * rand());
    t.push(now);
    p.push(EMOTIONS.map((_, k) => (k === mood ? strength : (1 - strength) / 6)));
  }
  return { participantId: id, t, p };
}

describe('incremental summary', () => {
  it('gives what the whole timeline gives, folded one sample at a time', () => {
    for (const seed of [1, 7, 42]) {
      const tl = scriptedTimeline('v1', 4000, seed);
      const state = newTimelineState('v1');
      // a state that survives a structured clone (as IndexedDB stores it) after every sample
      let s = state;
      tl.t.forEach((t, i) => {
        addSample(s, t, tl.p[i] ?? []);
        if (i % 97 === 0) s = structuredClone(s);
      });
      const incremental = finishTimeline(s, 'Ada');
      expect(incremental).toEqual(summariseTimeline(tl, 'Ada'));
      // the moments are those chosen from every candidate at once
      expect(incremental.moments).toEqual(referenceMoments(tl));
      expect(incremental.moments.length).toBeGreaterThan(3);
      // the slope agrees with the two-pass least squares
      expect(incremental.valenceSlopePerMin).toBeCloseTo(referenceSlope(tl), 9);
      // the kept moment candidates stay few however long the timeline
      for (const list of Object.values(s.candidates)) expect(list.length).toBeLessThan(200);
    }
  });

  it('keeps only a few moment candidates over a long steady peak', () => {
    const s = newTimelineState('v1');
    for (let i = 0; i < 14_400; i++)
      addSample(s, i * 500, peak('happy', 0.7 + (0.2 * ((i * 7919) % 101)) / 101));
    expect(s.candidates.happy.length).toBeLessThan(200);
    expect(s.candidates.surprise).toEqual([]);
  });
});
