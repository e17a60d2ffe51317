/**
 * Checks of the built packages (this tier runs after `npm run build`): every path the manifest
 * names and every packaged asset is there, and no code in them names a remote logging host.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WASM_THREAD_FACTORY, WASM_THREAD_WORKER } from '../../src/engine/wasm-threads.ts';
import { PACKAGED_ASSETS, TFJS_WASM_DIR } from '../../src/shared/packaged-assets.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const REMOTE =
  /odml\.pa\.googleapis|clearcut|play\.googleapis|x-goog-api-key|sendBeacon|https?:\/\/[a-z0-9.-]+\.(googleapis|google|gstatic)\.com/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe.each(['dist/chrome', 'dist/firefox', 'dist/dev/chrome', 'dist/dev/firefox'])('%s', (dir) => {
  const root = join(ROOT, dir);

  it('has every file its manifest names', () => {
    const m = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as {
      icons: Record<string, string>;
      action: { default_popup: string };
      background: { service_worker?: string; scripts?: string[] };
    };
    const named = [
      ...Object.values(m.icons),
      m.action.default_popup,
      ...(m.background.service_worker ? [m.background.service_worker] : []),
      ...(m.background.scripts ?? []),
    ];
    for (const p of named) expect(existsSync(join(root, p)), p).toBe(true);
  });

  it('lets no web page reach a packaged file at a static URL, and asks for tab capture only when used', () => {
    const m = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as {
      permissions?: string[];
      optional_permissions?: string[];
      web_accessible_resources?: { resources: string[]; use_dynamic_url?: boolean }[];
    };
    // a static chrome-extension://<id>/… URL would tell any site that MoodLens is installed
    for (const entry of m.web_accessible_resources ?? [])
      expect(entry.use_dynamic_url, entry.resources.join()).toBe(true);
    if (!dir.includes('dev')) expect(m.permissions).not.toContain('tabCapture');
    if (dir === 'dist/chrome') expect(m.optional_permissions).toContain('tabCapture');
  });

  it('packages every model and wasm file the engine loads, byte for byte as in the repository', () => {
    for (const a of PACKAGED_ASSETS) {
      const packaged = join(root, a.to, basename(a.from));
      expect(existsSync(packaged), `${a.to}/${basename(a.from)}`).toBe(true);
      // the development build (which the browser tests load) ships the very model users get
      expect(readFileSync(packaged).equals(readFileSync(join(ROOT, a.from))), packaged).toBe(true);
    }
  });

  it('starts tfjs wasm threads from packaged scripts, never from blob: URLs', () => {
    const wasmDir = join(root, TFJS_WASM_DIR);
    expect(readFileSync(join(wasmDir, WASM_THREAD_WORKER), 'utf8')).toContain(
      'importScripts(e.data.urlOrBlob)',
    );
    expect(readFileSync(join(wasmDir, WASM_THREAD_FACTORY), 'utf8')).toContain(
      'var WasmBackendModuleThreadedSimd',
    );
    const bundles = files(root).filter((f) => f.endsWith('.js') && !f.startsWith(wasmDir));
    const naming = bundles.filter((f) => readFileSync(f, 'utf8').includes(WASM_THREAD_WORKER));
    expect(naming.length, 'a bundle that names the thread worker').toBeGreaterThan(0);
    // the main thread's factory sizes its pool by the threads asked for (not Emscripten's fixed 8)
    const pools = bundles.filter((f) => readFileSync(f, 'utf8').includes('pthreadPoolSize'));
    expect(pools.length, 'a bundle with the threaded factory').toBeGreaterThan(0);
    for (const f of pools) expect(readFileSync(f, 'utf8').includes('pthreadPoolSize=8'), f).toBe(false);
    // the worker's source stays out of the bundles (tfjs made its blob from it)
    for (const f of bundles)
      expect(readFileSync(f, 'utf8').includes('importScripts(e.data.urlOrBlob)'), f).toBe(false);
  });

  it('has no code that names a remote logging or Google host', () => {
    const code = files(root).filter((f) => /\.(m?js|html)$/.test(f));
    expect(code.length).toBeGreaterThan(3);
    for (const f of code) expect(REMOTE.test(readFileSync(f, 'utf8')), f).toBe(false);
  });
});
