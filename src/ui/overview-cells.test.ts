import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../shared/emotions';
import { overviewCells } from './overview-cells';

const at = (e: (typeof EMOTIONS)[number]) => EMOTIONS.map((x) => (x === e ? 0.7 : 0.05));

describe('overviewCells', () => {
  it('colours each span by the samples that cover it, and leaves a gap longer than 5 s blank', () => {
    const tl = {
      participantId: 'v1',
      t: [0, 500, 1000, 12_000, 19_000],
      p: [at('happy'), at('happy'), at('sad'), at('surprise'), at('neutral')],
    };
    // 2 s spans: the sad sample at 1 s stands for 5 s (the gap after it is 11 s), then nothing until 12 s
    expect(overviewCells(tl, 0, 20_000, 10)).toEqual([
      'happy',
      'sad',
      'sad',
      undefined,
      undefined,
      undefined,
      'surprise',
      'surprise',
      'surprise',
      'neutral',
    ]);
    // spans shorter than the sampling interval are still covered (no stripes)
    const dense = { participantId: 'v2', t: [0, 1000, 2000, 3000], p: [0, 1, 2, 3].map(() => at('happy')) };
    expect(overviewCells(dense, 0, 4000, 40).every((c) => c === 'happy')).toBe(true);
    // a window of the session: samples outside it are left out
    expect(overviewCells(tl, 12_000, 20_000, 4)).toEqual(['surprise', 'surprise', 'surprise', 'neutral']);
  });
});
