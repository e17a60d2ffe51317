/**
 * tfjs in an extension page: registers its back ends (cpu, webgl, webgpu, wasm from the package)
 * and makes the BackendManager that runs the FER classifier on them.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
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
  },
): BackendManager {
  // tfjs-backend-wasm's threads hang in extension pages, cross-origin isolated or not (README.md)
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(options.wasmPath);
  return new BackendManager(tfjsRuntime(source), options.override, options.onChange, options.probeTimeoutMs);
}
