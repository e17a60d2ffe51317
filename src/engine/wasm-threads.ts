/**
 * tfjs wasm threads: the packaged scripts they start from (scripts/tfjs-wasm-threads-plugin.ts
 * puts them beside the .wasm files), how many to ask for, and asking for them.
 */
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/** The threaded wasm factory each thread loads, and the thread's worker script. */
export const WASM_THREAD_FACTORY = 'tfjs-backend-wasm-threaded-simd.js';
export const WASM_THREAD_WORKER = 'tfjs-backend-wasm-threaded-simd.worker.js';

/**
 * Threads for the classifier on a machine with `logicalCores`: half of them, so that the call's
 * own page (video decoding, drawing) keeps the other half, at least two (one thread is no faster
 * than the single-threaded build) and at most four (the classifier's batches are small: more
 * threads wait on each other).
 */
export function wasmThreadCount(logicalCores: number): number {
  const cores = Number.isFinite(logicalCores) && logicalCores > 0 ? Math.floor(logicalCores) : 1;
  return Math.min(4, Math.max(2, Math.floor(cores / 2)));
}

/**
 * Asks tfjs-backend-wasm for `count` threads; call before its back end starts. tfjs 4.22 caps its
 * pool at half of `navigator.hardwareConcurrency` (its backend.cc counts two logical cores a
 * physical one), so the document claims twice the count for itself.
 */
export function claimWasmThreads(count: number, scope: { navigator: Navigator } = globalThis): void {
  Object.defineProperty(scope.navigator, 'hardwareConcurrency', { value: 2 * count, configurable: true });
  setThreadsCount(count);
}
