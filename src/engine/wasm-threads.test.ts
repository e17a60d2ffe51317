import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { claimWasmThreads, wasmThreadCount } from './wasm-threads';

describe('wasm threads', () => {
  it('asks for half the logical cores, at least two and at most four', () => {
    expect([1, 2, 3, 4, 6, 8, 12, 16, 64].map(wasmThreadCount)).toEqual([2, 2, 2, 2, 3, 4, 4, 4, 4]);
  });

  it('asks for two when the browser does not say how many cores it has', () => {
    expect(wasmThreadCount(Number.NaN)).toBe(2);
    expect(wasmThreadCount(0)).toBe(2);
  });

  it('claims twice the cores in the document, as tfjs counts two logical cores a physical one', () => {
    const scope = { navigator: { hardwareConcurrency: 2 } as Navigator };
    claimWasmThreads(3, scope);
    expect(scope.navigator.hardwareConcurrency).toBe(6);
    // the back end has not started: tfjs says so rather than report a count
    expect(() => getThreadsCount()).toThrow(/not initialized/);
  });
});
