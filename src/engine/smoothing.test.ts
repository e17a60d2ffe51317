import { describe, expect, it } from 'vitest';
import { ProbabilitySmoother } from './smoothing';

const p = (...v: number[]) => Float32Array.from(v);

describe('ProbabilitySmoother', () => {
  it('with smoothing off returns each frame unchanged', () => {
    const s = new ProbabilitySmoother(0);
    s.smooth(1, p(1, 0), 0);
    expect(Array.from(s.smooth(1, p(0, 1), 100))).toEqual([0, 1]);
  });

  it('moves halfway to the new value after one half-life, whatever the frame spacing', () => {
    const s = new ProbabilitySmoother(1000);
    s.smooth(1, p(1, 0), 0);
    const out = s.smooth(1, p(0, 1), 1000);
    expect(out[0]).toBeCloseTo(0.5);
    const t = new ProbabilitySmoother(1000);
    t.smooth(1, p(1, 0), 0);
    t.smooth(1, p(0, 1), 500);
    expect(t.smooth(1, p(0, 1), 1000)[0]).toBeCloseTo(0.5);
  });

  it('keeps tracks apart and forgets the ones that are gone', () => {
    const s = new ProbabilitySmoother(1000);
    s.smooth(1, p(1, 0), 0);
    expect(Array.from(s.smooth(2, p(0, 1), 0))).toEqual([0, 1]);
    s.retain([2]);
    expect(Array.from(s.smooth(1, p(0, 1), 10))).toEqual([0, 1]);
  });
});
