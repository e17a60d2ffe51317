/**
 * tfjs in an extension page: registers its back ends (cpu, webgl, webgpu, wasm from the package)
 * and makes the BackendManager that runs the FER classifier on them.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from './backend-choice';
import { BackendManager } from './backend-manager';
import type { ModelSource } from './fer/classifier';
import { tfjsRuntime } from './tfjs-runtime';

export function tfjsBackendManager(
  source: ModelSource,
  options: {
    /** The package URL of tfjs-backend-wasm's files. */
    wasmPath: string;
    override: BackendName | undefined;
    onChange: () => void;
    probeTimeoutMs: number | undefined;
    /**
     * Threads for the wasm back end (wasm-threads.ts); 0 runs it single-threaded. Threads need the
     * packaged thread scripts (scripts/tfjs-wasm-threads-plugin.ts) and SharedArrayBuffer.
     */
    wasmThreads: number;
  },
): BackendManager {
  if (options.wasmThreads > 0) claimWasmThreads(options.wasmThreads);
  else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(options.wasmPath);
  return new BackendManager(tfjsRuntime(source), options.override, options.onChange, options.probeTimeoutMs);
}

/** Threads the started wasm back end runs (1: single-threaded); undefined before it started. */
export function wasmThreadsInUse(): number | undefined {
  try {
    return getThreadsCount();
  } catch {
    return undefined;
  }
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
