import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../shared/emotions';
import { BUCKET_MS, LiveModel } from './live-model';

const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);
const at = (e: (typeof EMOTIONS)[number], p = 0.7) => EMOTIONS.map((x) => (x === e ? p : (1 - p) / 6));

describe('LiveModel', () => {
  it('keeps the last minutes of each participant as samples are pushed', () => {
    const m = new LiveModel(60_000);
    for (let i = 0; i < 300; i++) m.add([{ participantId: 'v1', t: T0 + i * 500, p: at('happy') }]);
    const tl = m.recent.get('v1');
    expect(tl?.t[0]).toBe(T0 + 299 * 500 - 60_000);
    expect(tl?.t.at(-1)).toBe(T0 + 299 * 500);
    expect(m.current('v1')).toMatchObject({ dominant: 'happy', p: 0.7 });
    expect(m.version).toBe(300);
  });

  it('seeds from the store once without counting pushed samples twice', () => {
    const m = new LiveModel();
    m.add([{ participantId: 'v1', t: T0 + 2000, p: at('sad') }]);
    m.seed([
      {
        participantId: 'v1',
        t: [T0, T0 + 1000, T0 + 2000],
        p: [at('happy'), at('happy'), at('sad')],
      },
    ]);
    expect(m.recent.get('v1')?.t).toEqual([T0, T0 + 1000, T0 + 2000]);
    expect(m.start).toBe(Math.floor(T0 / BUCKET_MS) * BUCKET_MS);
    expect(m.overview(['v1'], 10).cells).toEqual([['happy']]);
  });

  it('draws the overview per participant in buckets, with gaps where no face was seen', () => {
    const m = new LiveModel();
    m.add([{ participantId: 'v1', t: T0, p: at('happy') }]);
    m.add([{ participantId: 'v2', t: T0 + 25_000, p: at('sad') }]);
    m.add([{ participantId: 'v1', t: T0 + 35_000, p: at('neutral') }]);
    expect(m.participants()).toEqual(['v1', 'v2']);
    expect(m.overview(['v1', 'v2'], 100).cells).toEqual([
      ['happy', undefined, undefined, 'neutral'],
      [undefined, undefined, 'sad', undefined],
    ]);
    // fewer columns than buckets: neighbouring buckets merge
    expect(m.overview(['v1'], 2).cells).toEqual([['happy', 'neutral']]);
  });

  it('notes a notable moment once per peak, at its strongest sample', () => {
    const m = new LiveModel();
    m.add([{ participantId: 'v1', t: T0, p: at('surprise', 0.65) }]);
    m.add([{ participantId: 'v1', t: T0 + 500, p: at('surprise', 0.9) }]);
    m.add([{ participantId: 'v1', t: T0 + 1000, p: at('surprise', 0.7) }]);
    m.add([{ participantId: 'v1', t: T0 + 20_000, p: at('sad', 0.8) }]);
    expect(m.moments.map((x) => [x.kind, x.t, x.p.toFixed(3)])).toEqual([
      ['negative', T0 + 20_000, (0.8 + (0.2 / 6) * 3).toFixed(3)],
      ['surprise', T0 + 500, '0.900'],
    ]);
  });

  it('gives the mood of the last 30 seconds over everyone', () => {
    const m = new LiveModel();
    m.add([{ participantId: 'v1', t: T0, p: at('sad', 0.9) }]);
    m.add([
      { participantId: 'v1', t: T0 + 40_000, p: at('happy', 0.8) },
      { participantId: 'v2', t: T0 + 40_000, p: at('neutral', 0.8) },
    ]);
    expect(m.moodNow()).toMatchObject({ mood: 'positive', participants: 2 });
    expect(new LiveModel().moodNow()).toBeUndefined();
  });
});
