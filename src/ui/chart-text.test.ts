import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../shared/emotions';
import { describeTimeline } from './chart-text';

const at = (k: number) => EMOTIONS.map((_, i) => (i === k ? 0.9 : 0.1 / 6));
const HAPPY = EMOTIONS.indexOf('happy');
const SAD = EMOTIONS.indexOf('sad');

describe('describeTimeline', () => {
  it('names the shares, largest first, and the valence trend', () => {
    const t = Array.from({ length: 240 }, (_, i) => i * 500);
    const p = t.map((_, i) => at(i < 60 ? SAD : HAPPY));
    expect(describeTimeline({ participantId: 'v1', t, p }, 'Ada', 'last 2 minutes')).toBe(
      'Ada, last 2 minutes: happy 75%, sad 25%; valence rising.',
    );
  });

  it('says when no face was seen', () => {
    expect(describeTimeline({ participantId: 'v1', t: [], p: [] }, 'Ada', 'last 3 minutes')).toBe(
      'Ada, last 3 minutes: no face seen.',
    );
  });
});
