import { describe, expect, it } from 'vitest';
import { formatFrames, formatGrowthTable, growthRows, slope } from '../../scripts/soak-report.ts';

describe('soak report', () => {
  it('fits the least-squares slope', () => {
    expect(slope([0, 1, 2, 3], [10, 12, 14, 16])).toBeCloseTo(2);
    // noisy points: sum(dx * dy) / sum(dx^2) = 2.55 / 5
    expect(slope([1, 2, 3, 4], [1, 1.2, 2.1, 2.4])).toBeCloseTo(0.51, 10);
    expect(slope([1], [5])).toBeNaN();
    expect(slope([2, 2], [1, 3])).toBeNaN();
  });

  it('takes the growth after the warm-up only, from the value at its end to the last', () => {
    const samples = [0, 1, 2, 3, 4].map((minute) => ({
      minute,
      // grows fast while warming up (minutes 0-1), then 2 MiB a minute
      values: { rss: minute < 2 ? 100 + 50 * minute : 200 + 2 * (minute - 2), tensors: 43 },
    }));
    const rows = growthRows(samples, 2);
    expect(rows).toEqual([
      { name: 'rss', atWarmup: 200, atEnd: 204, perMinute: 2 },
      { name: 'tensors', atWarmup: 43, atEnd: 43, perMinute: 0 },
    ]);
  });

  it('leaves a measure out of the samples that lack it', () => {
    const rows = growthRows(
      [
        { minute: 1, values: { heap: 10 } },
        { minute: 2, values: {} },
        { minute: 3, values: { heap: 14 } },
      ],
      1,
    );
    expect(rows).toEqual([{ name: 'heap', atWarmup: 10, atEnd: 14, perMinute: 2 }]);
  });

  it('prints an aligned table, growth signed', () => {
    const table = formatGrowthTable(
      [
        { name: 'RSS call page (MiB)', atWarmup: 210.04, atEnd: 215.5, perMinute: 0.25 },
        { name: 'engine tensors (count)', atWarmup: 43, atEnd: 43, perMinute: 0 },
        { name: 'x', atWarmup: NaN, atEnd: 1, perMinute: NaN },
      ],
      2,
    );
    expect(table.split('\n')).toEqual([
      '| measure                | at 2 min (warm-up end) | at end | growth per minute |',
      '|------------------------|-----------------------:|-------:|------------------:|',
      '| RSS call page (MiB)    |                  210.0 |  215.5 |            +0.250 |',
      '| engine tensors (count) |                   43.0 |   43.0 |             0.000 |',
      '| x                      |                      - |    1.0 |                 - |',
    ]);
  });

  it('says whether every face of every sampled frame was recorded', () => {
    expect(formatFrames({ frames: 100, faces: 90, recorded: 90 })).toBe(
      'frames sampled: 100 (faces found in them: 90); samples recorded in the session: 90 (every face of every sampled frame recorded)',
    );
    expect(formatFrames({ frames: 100, faces: 90, recorded: 85 })).toMatch(/\(5 fewer than faces found\)$/);
  });
});
