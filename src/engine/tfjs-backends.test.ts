import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { claimWasmThreads } from './tfjs-backends';

describe('tfjs back ends in an extension page', () => {
  it('claims twice the cores in the document, as tfjs counts two logical cores a physical one', () => {
    const scope = { navigator: { hardwareConcurrency: 2 } as Navigator };
    claimWasmThreads(3, scope);
    expect(scope.navigator.hardwareConcurrency).toBe(6);
    // the back end has not started: tfjs says so rather than report a count
    expect(() => getThreadsCount()).toThrow(/not initialized/);
  });
});
