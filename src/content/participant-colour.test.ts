import { describe, expect, it } from 'vitest';
import { participantColour, participantHue, participantId } from './participant-colour';

describe('participant colours', () => {
  it('names the face the engine marks primary after the tile and other faces after their track, as sessions do', () => {
    // the primary is whichever face the engine chose, not the oldest track of the frame
    expect(participantId('v3', { trackId: 9, primary: true })).toBe('v3');
    expect(participantId('v3', { trackId: 4, primary: false })).toBe('v3/4');
  });

  it('gives the same participant the same colour every time, and different participants different hues', () => {
    expect(participantColour('v1')).toBe(participantColour('v1'));
    const hues = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9'].map(participantHue);
    expect(new Set(hues).size).toBe(9);
    for (const h of hues) expect(h).toBeGreaterThanOrEqual(0);
    for (const h of hues) expect(h).toBeLessThan(360);
  });
});
