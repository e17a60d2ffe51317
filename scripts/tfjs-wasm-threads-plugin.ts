/**
 * Vite plugin: tfjs-backend-wasm's threads from packaged scripts instead of `blob:` URLs.
 *
 * tfjs-backend-wasm 4.22 starts each of its threads as a worker from a `blob:` URL holding its
 * worker script, and has every worker re-create the wasm factory from another `blob:` made of the
 * bundled factory's source text (`Function.toString`). Extension pages may not run scripts from
 * `blob:` (MV3's `script-src 'self' 'wasm-unsafe-eval'`), and a minified bundle breaks the source
 * text, so in the extension neither works and the threaded back end never starts
 * (src/engine/README.md, "WASM threads").
 *
 * The plugin rewrites the two places in `backend_wasm.js` so that the worker is the packaged
 * `tfjs-backend-wasm-threaded-simd.worker.js` and the factory each worker loads is the packaged,
 * unminified `tfjs-backend-wasm-threaded-simd.js`, both beside the `.wasm` files (the prefix given
 * to `setWasmPaths`), and writes those two files into the package. The build fails if the code to
 * rewrite is not found (another tfjs version): threads then need a fresh look, not a silent hang.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { WASM_THREAD_FACTORY, WASM_THREAD_WORKER } from '../src/engine/wasm-threads.ts';

const PACKAGE = resolve(import.meta.dirname, '../node_modules/@tensorflow/tfjs-backend-wasm');

/** The worker blob, and the factory blob, as tfjs-backend-wasm 4.22's backend_wasm.js makes them. */
const WORKER_BLOB =
  /const response = wasmWorkerContents\.replace\([^;]*\);\s*const blob = new Blob\(\[response\], \{ type: 'application\/javascript' \}\);\s*return URL\.createObjectURL\(blob\);/;
const WORKER_IMPORT =
  /import \{ wasmWorkerContents \} from '\.\.\/wasm-out\/tfjs-backend-wasm-threaded-simd\.worker\.js';/;
const FACTORY_BLOB =
  /factoryConfig\.mainScriptUrlOrBlob = new Blob\(\[`var WasmBackendModuleThreadedSimd = ` \+\s*wasmFactoryThreadedSimd\.toString\(\)\], \{ type: 'text\/javascript' \}\);/;

/**
 * backend_wasm.js with the two blobs replaced by package URLs, and without the worker's source
 * (a CommonJS module no bundler drops by itself). Throws when any of the three is not found.
 */
export function rewriteBackendWasm(code: string): string {
  if (![WORKER_IMPORT, WORKER_BLOB, FACTORY_BLOB].every((pattern) => pattern.test(code)))
    throw new Error(
      'tfjs-backend-wasm: the thread worker or factory blob was not found in backend_wasm.js; ' +
        'scripts/tfjs-wasm-threads-plugin.ts knows version 4.22 only',
    );
  return code
    .replace(WORKER_IMPORT, '')
    .replace(
      WORKER_BLOB,
      `return (wasmPathPrefix != null ? wasmPathPrefix : prefix) + '${WASM_THREAD_WORKER}';`,
    )
    .replace(
      FACTORY_BLOB,
      `factoryConfig.mainScriptUrlOrBlob = (wasmPathPrefix != null ? wasmPathPrefix : '') + '${WASM_THREAD_FACTORY}';` +
        // as many workers as the threads asked for (setThreadsCount), not Emscripten's fixed 8
        ` factoryConfig.pthreadPoolSize = threadsCount > 0 ? threadsCount : undefined;`,
    );
}

/** Emscripten's fixed pool of 8 workers, all started with the back end, in the threaded factory. */
const FIXED_POOL = 'var pthreadPoolSize=8;';

/**
 * The threaded factory (the main thread's copy, bundled) with its worker pool sized by the
 * factory's `pthreadPoolSize` option: XNNPACK's pool of N threads needs N - 1 workers, and each
 * worker Emscripten starts loads the factory and instantiates the module, whether used or not.
 */
export function rewriteThreadedFactory(code: string): string {
  if (!code.includes(FIXED_POOL))
    throw new Error(
      'tfjs-backend-wasm: the threaded factory has no fixed pool size to replace (not version 4.22)',
    );
  return code.replace(FIXED_POOL, 'var pthreadPoolSize=Module["pthreadPoolSize"]||8;');
}

/** The worker script's text: tfjs keeps it as a string (with `\n` escapes it re-escapes for its blob). */
export function workerScript(): string {
  const require = createRequire(import.meta.url);
  const { wasmWorkerContents } = require(`${PACKAGE}/wasm-out/${WASM_THREAD_WORKER}`) as {
    wasmWorkerContents: string;
  };
  return wasmWorkerContents.replace(/\n/g, '\\n');
}

/** `dir`: the package folder of tfjs's wasm files (where the two scripts go), relative to outDir. */
export function tfjsWasmThreads(outDir: string, dir: string): Plugin {
  return {
    name: 'moodlens:tfjs-wasm-threads',
    apply: 'build',
    transform(code, id) {
      const path = id.replaceAll('\\', '/');
      if (path.endsWith('/@tensorflow/tfjs-backend-wasm/dist/backend_wasm.js'))
        return { code: rewriteBackendWasm(code), map: null };
      if (path.endsWith(`/@tensorflow/tfjs-backend-wasm/wasm-out/${WASM_THREAD_FACTORY}`))
        return { code: rewriteThreadedFactory(code), map: null };
      return null;
    },
    closeBundle() {
      const to = resolve(outDir, dir);
      mkdirSync(to, { recursive: true });
      copyFileSync(`${PACKAGE}/wasm-out/${WASM_THREAD_FACTORY}`, resolve(to, WASM_THREAD_FACTORY));
      writeFileSync(resolve(to, WASM_THREAD_WORKER), workerScript());
    },
  };
}
