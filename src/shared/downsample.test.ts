import { describe, expect, it } from 'vitest';
import { downsample } from './downsample';

describe('downsample', () => {
  it('averages the samples of each second into one, at their mean time', () => {
    const t = [1000, 1500, 1900, 2100, 4000];
    const p = [
      ...[1, 0, 0, 0, 0, 0, 0],
      ...[0, 1, 0, 0, 0, 0, 0],
      ...[0, 1, 0, 0, 0, 0, 0],
      ...[0, 0, 0, 1, 0, 0, 0],
      ...[0, 0, 0, 0, 0, 0, 1],
    ];
    const d = downsample(t, p, 1000);
    expect(d.t.map((x) => Math.round(x))).toEqual([1467, 2100, 4000]);
    expect(d.p.slice(0, 7).map((x) => +x.toFixed(4))).toEqual([0.3333, 0.6667, 0, 0, 0, 0, 0]);
    expect(d.p.slice(7, 14)).toEqual([0, 0, 0, 1, 0, 0, 0]);
    expect(d.p).toHaveLength(21);
  });

  it('keeps probabilities summing to one and is stable when applied twice', () => {
    const t = Array.from({ length: 50 }, (_, i) => 10_000 + i * 230);
    const p = t.flatMap((_, i) => {
      const a = (i % 7) / 10;
      return [a, 0.1, 0.1, 0.5 - a / 2, 0.1, 0.1, 0.1 - a / 2];
    });
    const once = downsample(t, p, 1000);
    expect(once.t.length).toBeLessThan(t.length);
    for (let i = 0; i < once.t.length; i++) {
      expect(once.p.slice(i * 7, i * 7 + 7).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
    expect(downsample(once.t, once.p, 1000)).toEqual(once);
  });
});
