import { describe, expect, it } from 'vitest';
import { EMOTIONS, type Emotion } from './emotions';
import type { SessionData, Timeline } from './session';
import { notableMoments, sampleSpans, summariseSession, summariseTimeline } from './summary';

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

describe('sampleSpans', () => {
  it('gives each sample the time to the next, capped at 5 s, and the last the median span', () => {
    expect(sampleSpans([0, 500, 1000, 9000, 9500])).toEqual([500, 500, 5000, 500, 500]);
    expect(sampleSpans([42])).toEqual([1000]);
    expect(sampleSpans([])).toEqual([]);
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
