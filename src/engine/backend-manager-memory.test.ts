/**
 * A back end's loss used to be a promise that never settles, raced against every batch: each race
 * added a reaction to it that kept the batch's race and result for the back end's life (the
 * offscreen document grew by a promise and two closures per frame in `npm run soak -- --heap-diff`).
 * These tests run real garbage collections (node's --expose-gc, switched on here).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { BackendName } from './backend-choice';
import { BackendManager, LossSignal, type BackendRuntime } from './backend-manager';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** One back end (wasm) whose batches answer one array per face. */
function runtime(): BackendRuntime & { lose(reason: string): void } {
  let lost: ((reason: string) => void) | undefined;
  return {
    probe: () => Promise.resolve(1),
    activate: () =>
      Promise.resolve({
        classify: (faces: readonly Uint8Array[]) => Promise.resolve(faces.map(() => new Float32Array(7))),
        dispose: () => undefined,
      }),
    watch: (_name: BackendName, onLost: (reason: string) => void) => {
      lost = onLost;
      return { check: () => undefined, stop: () => (lost = undefined) };
    },
    remove: () => undefined,
    release: () => undefined,
    lose: (reason) => lost?.(reason),
  };
}

/** Whether the objects behind `refs` were collected (WeakRefs hold until the current task ends). */
async function collected(refs: readonly WeakRef<object>[]): Promise<number> {
  await new Promise((ok) => setTimeout(ok, 0));
  gc();
  await new Promise((ok) => setTimeout(ok, 0));
  gc();
  return refs.filter((r) => r.deref() === undefined).length;
}

describe('BackendManager memory', () => {
  it('keeps nothing of a batch once it is answered', async () => {
    const manager = new BackendManager(runtime(), 'wasm');
    await manager.start();
    const refs: WeakRef<object>[] = [];
    for (let i = 0; i < 200; i++) {
      const out = await manager.classify([new Uint8Array(48 * 48)]);
      refs.push(new WeakRef(out));
    }
    // (the last may still be held by the loop's frame)
    expect(await collected(refs)).toBeGreaterThanOrEqual(refs.length - 1);
  });

  it('still fails a running batch when its back end is lost, and moves on', async () => {
    const fake = runtime();
    const signal = new LossSignal();
    const hanging = signal.race(new Promise<number>(() => undefined));
    expect(signal.size).toBe(1);
    signal.trip(new Error('device lost'));
    await expect(hanging).rejects.toThrow('device lost');
    expect(signal.size).toBe(0);
    await expect(signal.race(Promise.resolve(1))).rejects.toThrow('device lost');
    const manager = new BackendManager(fake, 'wasm');
    await manager.start();
    fake.lose('gone');
    // the manager marks wasm failed and answers on the next back end (the fake's probe passes all)
    expect(await manager.classify([new Uint8Array(4)])).toHaveLength(1);
    expect(manager.state.failed.map((f) => f.name)).toContain('wasm');
  });
});
