import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  rewriteBackendWasm,
  rewriteThreadedFactory,
  workerScript,
} from '../../scripts/tfjs-wasm-threads-plugin.ts';

const BACKEND_WASM = resolve(
  import.meta.dirname,
  '../../node_modules/@tensorflow/tfjs-backend-wasm/dist/backend_wasm.js',
);

describe('tfjs wasm threads from packaged scripts', () => {
  it('makes tfjs start its thread workers and their factory from package URLs, not blob: URLs', () => {
    const code = readFileSync(BACKEND_WASM, 'utf8');
    expect(code).toContain('URL.createObjectURL');
    const rewritten = rewriteBackendWasm(code);
    expect(rewritten).not.toContain('URL.createObjectURL');
    expect(rewritten).not.toContain('new Blob');
    expect(rewritten).not.toContain('wasmFactoryThreadedSimd.toString()');
    expect(rewritten).not.toContain('wasmWorkerContents');
    expect(rewritten).toContain(
      "return (wasmPathPrefix != null ? wasmPathPrefix : prefix) + 'tfjs-backend-wasm-threaded-simd.worker.js';",
    );
    expect(rewritten).toContain(
      "factoryConfig.mainScriptUrlOrBlob = (wasmPathPrefix != null ? wasmPathPrefix : '') + 'tfjs-backend-wasm-threaded-simd.js';",
    );
  });

  it('starts as many workers as threads were asked for, not a fixed 8', () => {
    const backend = rewriteBackendWasm(readFileSync(BACKEND_WASM, 'utf8'));
    expect(backend).toContain('factoryConfig.pthreadPoolSize = threadsCount > 0 ? threadsCount : undefined;');
    const factory = readFileSync(
      resolve(BACKEND_WASM, '../../wasm-out/tfjs-backend-wasm-threaded-simd.js'),
      'utf8',
    );
    const rewritten = rewriteThreadedFactory(factory);
    expect(rewritten).not.toContain('var pthreadPoolSize=8;');
    expect(rewritten).toContain('var pthreadPoolSize=Module["pthreadPoolSize"]||8;');
    expect(() => rewriteThreadedFactory('var pthreadPoolSize=4;')).toThrow(/not version 4.22/);
  });

  it('fails the build on code it does not know (another tfjs version) rather than leave threads to hang', () => {
    expect(() => rewriteBackendWasm('export async function init() {}')).toThrow(/knows version 4.22 only/);
  });

  it('writes the worker script tfjs would have put in its blob, loading the factory by URL', () => {
    const script = workerScript();
    expect(script).toContain('importScripts(e.data.urlOrBlob)');
    expect(script).toContain('WasmBackendModuleThreadedSimd(Module)');
    // tfjs re-escapes the newlines inside the script's string literals; a raw one would break them
    expect(script).not.toContain('\n');
    expect(() => new Script(script)).not.toThrow(); // compiles (not run)
  });
});
