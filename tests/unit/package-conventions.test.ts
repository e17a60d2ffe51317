/**
 * Convention tests: every message has a handler in its receiver; every asset the engine loads is
 * packaged; no packaged code talks to a remote server (the pinned MediaPipe bundle included).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import source from '../../manifest.json';
import { PACKAGED_ASSETS } from '../../src/shared/packaged-assets';
import { MESSAGE_NAMES } from '../../src/shared/protocol';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

describe('protocol conventions', () => {
  it('every message addressed to a context has a handler in that context’s entry module', () => {
    const receivers: Record<string, string> = {
      bg: read('src/background/index.ts'),
      content: read('src/content/content-script.ts'),
      offscreen: read('src/offscreen/index.ts'),
    };
    for (const name of MESSAGE_NAMES) {
      const to = /^\w+>(\w+):/.exec(name)?.[1] ?? '';
      expect(receivers[to], `${name}: no receiver module for ${to}`).toBeDefined();
      expect(receivers[to], `${name} has no handler`).toContain(`'${name}'`);
    }
  });
});

describe('packaged assets', () => {
  it('every asset the engine loads exists in the repository (models, wasm)', () => {
    for (const a of PACKAGED_ASSETS) expect(existsSync(join(ROOT, a.from)), a.from).toBe(true);
  });

  it('the FER model files listed in model.json are packaged', () => {
    const spec = JSON.parse(read('models/fer-resnet/model.json')) as {
      weights: { file: string; bytes: number };
    };
    const packaged = PACKAGED_ASSETS.map((a) => a.from);
    expect(packaged).toContain(`models/fer-resnet/${spec.weights.file}`);
    expect(statSync(join(ROOT, 'models/fer-resnet', spec.weights.file)).size).toBe(spec.weights.bytes);
    expect(spec.weights.bytes).toBeLessThanOrEqual(8 * 1024 * 1024);
  });

  it('every path in the manifest source exists', () => {
    const paths = [
      ...Object.values(source.icons),
      source.action.default_popup,
      ...Object.values(source.action.default_icon),
      source.background.service_worker,
    ];
    for (const p of paths) expect(existsSync(join(ROOT, p)), p).toBe(true);
  });
});

describe('no remote code', () => {
  const REMOTE = /odml\.pa\.googleapis|clearcut|play\.googleapis|x-goog-api-key|sendBeacon/;

  it('the pinned MediaPipe Tasks bundle and its wasm loader carry no usage logging', () => {
    const pkg = JSON.parse(read('node_modules/@mediapipe/tasks-vision/package.json')) as { version: string };
    expect(pkg.version).toBe('0.10.35');
    expect(REMOTE.test(read('node_modules/@mediapipe/tasks-vision/vision_bundle.mjs'))).toBe(false);
    expect(REMOTE.test(read('node_modules/@mediapipe/tasks-vision/wasm/vision_wasm_internal.js'))).toBe(
      false,
    );
  });
});
