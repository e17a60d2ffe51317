/**
 * tfjs wasm threads: the packaged scripts they start from (scripts/tfjs-wasm-threads-plugin.ts
 * puts them beside the .wasm files), and how many to ask for (tfjs-backends.ts asks).
 */
/** The threaded wasm factory each thread loads, and the thread's worker script. */
export const WASM_THREAD_FACTORY = 'tfjs-backend-wasm-threaded-simd.js';
export const WASM_THREAD_WORKER = 'tfjs-backend-wasm-threaded-simd.worker.js';

/**
 * Threads for the classifier on a machine with `logicalCores`: half of them, at most four (the
 * classifier's batches are small: more threads wait on each other), and none below four cores (0:
 * the single-threaded build). The call's own page (video decoding, drawing) needs the other half.
 * With as many threads as cores, each of the network's parallel steps waits for a thread that the
 * busy page holds: on 2 cores with one kept busy, 2 threads classified a face in 171 ms against 36
 * single-threaded, and the engine ran 9 sources at 3.0 faces/s against 21.3 (`npm run bench --
 * --part engine --busy-cores 1 --batch 1`, src/engine/README.md).
 */
export function wasmThreadCount(logicalCores: number): number {
  const cores = Number.isFinite(logicalCores) && logicalCores > 0 ? Math.floor(logicalCores) : 1;
  return cores < 4 ? 0 : Math.min(4, Math.floor(cores / 2));
}

/** The most threads tfjs-backend-wasm starts. */
export const MAX_WASM_THREADS = 8;

/**
 * A developer's override of the thread count: storage.local `wasmThreads` (0 to 8), which the
 * background hands to a new offscreen document in its URL (`threads`). Tests use it to run threads
 * on a 2-core machine; nothing in the extension's pages writes it.
 */
export const WASM_THREADS_KEY = 'wasmThreads';
export const WASM_THREADS_PARAM = 'threads';

/** A thread count read back from storage or a URL; undefined when it is not one. */
export function parseWasmThreads(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_WASM_THREADS ? n : undefined;
}
