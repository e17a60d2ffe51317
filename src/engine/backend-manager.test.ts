import { describe, expect, it } from 'vitest';
import type { BackendName } from './backend-choice';
import { BackendManager, type BackendRuntime, type BackendState } from './backend-manager';

/** A fake tfjs: each back end has a probe time; classify answers its name's index in [0]. */
class FakeRuntime implements BackendRuntime {
  readonly log: string[] = [];
  readonly broken = new Map<BackendName, 'throws' | 'hangs' | 'zeros'>();
  private lostCallbacks = new Map<BackendName, (reason: string) => void>();
  private lostFlags = new Map<BackendName, string>();
  live = new Set<BackendName>();

  constructor(private readonly times: Partial<Record<BackendName, number>>) {}

  probe(name: BackendName): Promise<number> {
    const t = this.times[name];
    this.log.push(`probe ${name}`);
    return t === undefined ? Promise.reject(new Error(`${name} is not available`)) : Promise.resolve(t);
  }

  activate(name: BackendName) {
    this.log.push(`activate ${name}`);
    this.live.add(name);
    const code = Object.keys(this.times).indexOf(name);
    return Promise.resolve({
      classify: (faces: readonly Uint8Array[]) => {
        const broken = this.broken.get(name);
        if (broken === 'throws') return Promise.reject(new Error(`${name} exploded`));
        if (broken === 'hangs') return new Promise<Float32Array[]>(() => undefined);
        return Promise.resolve(faces.map(() => Float32Array.of(broken === 'zeros' ? 0 : code)));
      },
      dispose: () => {
        this.live.delete(name);
      },
    });
  }

  watch(name: BackendName, lost: (reason: string) => void) {
    this.lostCallbacks.set(name, lost);
    return {
      check: () => this.lostFlags.get(name),
      stop: () => this.lostCallbacks.delete(name),
    };
  }

  remove(name: BackendName): void {
    this.log.push(`remove ${name}`);
  }

  release(name: BackendName): void {
    this.log.push(`release ${name}`);
  }

  /** The device goes away: the watcher reports it (WebGPU's device.lost). */
  loseDevice(name: BackendName, reason: string): void {
    this.lostFlags.set(name, reason);
    this.lostCallbacks.get(name)?.(reason);
  }
}

const face = [new Uint8Array(48 * 48)];

describe('BackendManager', () => {
  it('starts on the fastest working back end', async () => {
    const rt = new FakeRuntime({ webgpu: 5, webgl: 3, wasm: 9, cpu: 90 });
    const m = new BackendManager(rt);
    const s = await m.start();
    expect(s.backend).toBe('webgl');
    expect(s.recoveries).toBe(0);
    expect((await m.classify(face))[0]?.[0]).toBe(1);
  });

  it('moves to the next working back end when classification throws, and answers the batch', async () => {
    const rt = new FakeRuntime({ webgpu: 1, webgl: 3, wasm: 9 });
    const changes: BackendState[] = [];
    const m = new BackendManager(rt, undefined, (s) => changes.push(s));
    await m.start();
    rt.broken.set('webgpu', 'throws');
    const out = await m.classify(face);
    expect(out[0]?.[0]).toBe(1); // webgl's answer
    expect(m.state.backend).toBe('webgl');
    expect(m.state.failed).toEqual([{ name: 'webgpu', error: 'webgpu exploded' }]);
    expect(m.state.reason).toMatch(/webgpu stopped working \(webgpu exploded\); switched to webgl/);
    expect(m.state.recoveries).toBe(1);
    expect(rt.log).toContain('remove webgpu');
    expect(rt.live.has('webgpu')).toBe(false);
    expect(changes.at(-1)?.backend).toBe('webgl');
    // the failed back end is not probed again
    const probesAfter = rt.log.slice(rt.log.indexOf('remove webgpu'));
    expect(probesAfter).not.toContain('probe webgpu');
  });

  it('recovers a batch that hangs when the device is lost (WebGPU device.lost)', async () => {
    const rt = new FakeRuntime({ webgpu: 1, wasm: 9 });
    const m = new BackendManager(rt);
    await m.start();
    rt.broken.set('webgpu', 'hangs');
    const pending = m.classify(face);
    rt.loseDevice('webgpu', 'device destroyed');
    expect((await pending)[0]?.[0]).toBe(1);
    expect(m.state.backend).toBe('wasm');
    expect(m.state.failed[0]?.error).toBe('device destroyed');
  });

  it('checks for a lost context before trusting a batch (a lost WebGL context returns zeros, not errors)', async () => {
    const rt = new FakeRuntime({ webgl: 1, wasm: 9 });
    const m = new BackendManager(rt);
    await m.start();
    rt.broken.set('webgl', 'zeros');
    rt.loseDevice('webgl', 'the WebGL context was lost');
    const out = await m.classify(face);
    expect(out[0]?.[0]).toBe(1); // recomputed on wasm, not webgl's zeros
    expect(m.state.backend).toBe('wasm');
  });

  it('switches on a user override and back to automatic', async () => {
    const rt = new FakeRuntime({ webgpu: 1, wasm: 9, cpu: 80 });
    const m = new BackendManager(rt);
    await m.start();
    expect((await m.setOverride('cpu')).backend).toBe('cpu');
    expect(m.state.reason).toMatch(/as set in the settings/);
    expect((await m.classify(face))[0]?.[0]).toBe(2);
    expect((await m.setOverride(undefined)).backend).toBe('webgpu');
    expect(rt.live).toEqual(new Set(['webgpu']));
  });

  it('says clearly when every back end has broken', async () => {
    const rt = new FakeRuntime({ webgl: 1, cpu: 9 });
    const m = new BackendManager(rt);
    await m.start();
    rt.broken.set('webgl', 'throws');
    rt.broken.set('cpu', 'throws');
    await expect(m.classify(face)).rejects.toThrow(/no TensorFlow.js back end works here/);
  });

  it('releases the back ends that worked but lost the probe', async () => {
    const rt = new FakeRuntime({ webgpu: 3, webgl: 5, wasm: 9 });
    const m = new BackendManager(rt);
    await m.start();
    expect(m.state.backend).toBe('webgpu');
    expect(rt.log.filter((l) => l.startsWith('release'))).toEqual(['release webgl', 'release wasm']);
  });

  it('does not probe back ends the browser reports as software or absent', async () => {
    const rt = new FakeRuntime({ webgpu: 3, webgl: 5, wasm: 9 });
    const m = new BackendManager(rt);
    await m.start({
      skip: new Map<BackendName, string>([
        ['webgpu', 'WebGPU here runs in software (SwiftShader)'],
        ['webgl', 'WebGL here runs in software (SwiftShader)'],
      ]),
    });
    expect(m.state.backend).toBe('wasm');
    expect(rt.log.filter((l) => l.startsWith('probe'))).toEqual(['probe wasm']);
    expect(m.state.probes.find((p) => p.name === 'webgl')?.error).toMatch(
      /not probed: WebGL here runs in software/,
    );
  });

  it('loads the remembered back end without probing, and probes when it no longer works', async () => {
    const rt = new FakeRuntime({ webgpu: 3, webgl: 5, wasm: 9 });
    const m = new BackendManager(rt);
    await m.start({ remembered: 'wasm' });
    expect(m.state.backend).toBe('wasm');
    expect(m.state.reason).toMatch(/remembered/);
    expect(m.state.probes).toEqual([{ name: 'wasm', ok: true }]);
    expect(rt.log).toEqual(['activate wasm']);

    const gone = new FakeRuntime({ webgl: 5, wasm: 9 });
    gone.activate = (name: BackendName) =>
      name === 'webgpu'
        ? Promise.reject(new Error('no adapter'))
        : FakeRuntime.prototype.activate.call(gone, name);
    const m2 = new BackendManager(gone);
    await m2.start({ remembered: 'webgpu' });
    expect(m2.state.backend).toBe('webgl');
    expect(gone.log.filter((l) => l.startsWith('probe'))).toEqual([
      'probe webgpu',
      'probe webgl',
      'probe wasm',
    ]);
  });

  it('probes again when the last start fell back to cpu', async () => {
    const rt = new FakeRuntime({ webgl: 5, wasm: 9, cpu: 100 });
    const m = new BackendManager(rt);
    await m.start({ remembered: 'cpu' });
    expect(m.state.backend).toBe('webgl');
  });

  it('ignores the remembered back end when the user chose one', async () => {
    const rt = new FakeRuntime({ webgpu: 3, webgl: 5, wasm: 9 });
    const m = new BackendManager(rt, 'webgl');
    await m.start({ remembered: 'wasm' });
    expect(m.state.backend).toBe('webgl');
    expect(rt.log).not.toContain('activate wasm');
  });
});
