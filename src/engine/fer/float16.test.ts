import { describe, expect, it } from 'vitest';
import { float16ToFloat32 } from './float16';

describe('float16ToFloat32', () => {
  it('decodes normal, subnormal, zero and special values', () => {
    const got = float16ToFloat32(
      new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0001, 0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00]),
    );
    expect(got[0]).toBe(1);
    expect(got[1]).toBe(-2);
    expect(got[2]).toBeCloseTo(0.33325, 5);
    expect(got[3]).toBeCloseTo(5.96e-8, 10);
    expect(got[4]).toBe(0);
    expect(Object.is(got[5], -0)).toBe(true);
    expect(got[6]).toBe(Infinity);
    expect(got[7]).toBe(-Infinity);
    expect(got[8]).toBeNaN();
  });
});
