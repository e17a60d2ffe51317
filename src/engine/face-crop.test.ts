import { describe, expect, it } from 'vitest';
import { toGrey } from './face-crop';

describe('toGrey', () => {
  it('uses the BT.601 luma weights and ignores alpha', () => {
    const rgba = new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 0, 0, 0, 255, 128, 200, 200, 200, 255]);
    expect(Array.from(toGrey(rgba))).toEqual([76, 150, 29, 200]);
  });
});
