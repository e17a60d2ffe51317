import { describe, expect, it } from 'vitest';
import { participantColour, participantHue, participantId } from './participant-colour';

describe('participant colours', () => {
  it('names a tile’s oldest face after the tile and other faces after their track, as sessions do', () => {
    expect(participantId('v3', 4, [9, 4])).toBe('v3');
    expect(participantId('v3', 9, [9, 4])).toBe('v3/9');
  });

  it('gives the same participant the same colour every time, and different participants different hues', () => {
    expect(participantColour('v1')).toBe(participantColour('v1'));
    const hues = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9'].map(participantHue);
    expect(new Set(hues).size).toBe(9);
    for (const h of hues) expect(h).toBeGreaterThanOrEqual(0);
    for (const h of hues) expect(h).toBeLessThan(360);
  });
});
