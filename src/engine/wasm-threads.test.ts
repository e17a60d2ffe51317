import { describe, expect, it } from 'vitest';
import { parseWasmThreads, wasmThreadCount } from './wasm-threads';

describe('wasm threads', () => {
  it('asks for half the logical cores, at most four, and none below four cores', () => {
    expect([1, 2, 3, 4, 5, 6, 8, 12, 16, 64].map(wasmThreadCount)).toEqual([0, 0, 0, 2, 2, 3, 4, 4, 4, 4]);
  });

  it('asks for none when the browser does not say how many cores it has', () => {
    expect(wasmThreadCount(Number.NaN)).toBe(0);
    expect(wasmThreadCount(0)).toBe(0);
  });

  it('reads a thread count override only when it is a whole number from 0 to 8', () => {
    expect([0, 2, 8, '4', '0'].map(parseWasmThreads)).toEqual([0, 2, 8, 4, 0]);
    for (const bad of [9, -1, 1.5, '2.5', ' 2', '', 'two', null, undefined, {}, [2], Number.NaN])
      expect(parseWasmThreads(bad), JSON.stringify(bad)).toBeUndefined();
  });
});
