import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../shared/emotions';
import { overviewCells } from './overview-cells';

const at = (e: (typeof EMOTIONS)[number]) => EMOTIONS.map((x) => (x === e ? 0.7 : 0.05));

describe('overviewCells', () => {
  it('gives each span the dominant expression of its samples, and nothing where there were none', () => {
    const tl = {
      participantId: 'v1',
      t: [0, 500, 1000, 7000, 9500],
      p: [at('happy'), at('happy'), at('sad'), at('surprise'), at('neutral')],
    };
    expect(overviewCells(tl, 0, 10_000, 5)).toEqual(['happy', undefined, undefined, 'surprise', 'neutral']);
    // a window of the session: samples outside it are left out
    expect(overviewCells(tl, 5000, 10_000, 2)).toEqual(['surprise', 'neutral']);
  });
});
