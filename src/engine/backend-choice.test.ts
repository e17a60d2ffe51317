import { describe, expect, it } from 'vitest';
import { chooseBackend, type BackendName } from './backend-choice';

const probeWith =
  (times: Partial<Record<BackendName, number | Error | 'hang'>>) =>
  (name: BackendName): Promise<number> => {
    const t = times[name];
    if (t === undefined) return Promise.reject(new Error(`${name} is not available`));
    if (t === 'hang') return new Promise(() => undefined);
    return t instanceof Error ? Promise.reject(t) : Promise.resolve(t);
  };

describe('chooseBackend', () => {
  it('picks the fastest working accelerated back end', async () => {
    const c = await chooseBackend(probeWith({ webgpu: 9, webgl: 4, wasm: 12, cpu: 100 }));
    expect(c.chosen).toBe('webgl');
    expect(c.outcomes.map((o) => o.name)).toEqual(['webgpu', 'webgl', 'wasm']);
  });

  it('skips back ends that fail or hang', async () => {
    const c = await chooseBackend(probeWith({ webgpu: 'hang', webgl: new Error('context lost'), wasm: 20 }), {
      timeoutMs: 50,
    });
    expect(c.chosen).toBe('wasm');
    expect(c.outcomes.find((o) => o.name === 'webgpu')?.error).toMatch(/did not answer/);
  });

  it('honours a working override, and falls back with the reason when it fails', async () => {
    expect((await chooseBackend(probeWith({ webgpu: 1, wasm: 20 }), { override: 'wasm' })).chosen).toBe(
      'wasm',
    );
    const c = await chooseBackend(probeWith({ wasm: 20 }), { override: 'webgpu' });
    expect(c.chosen).toBe('wasm');
    expect(c.reason).toMatch(/webgpu failed/);
  });

  it('uses cpu only when nothing else works, and fails clearly when even cpu fails', async () => {
    expect((await chooseBackend(probeWith({ cpu: 50 }))).chosen).toBe('cpu');
    await expect(chooseBackend(probeWith({}))).rejects.toThrow(/no TensorFlow.js back end works here/);
  });
});

describe('chooseBackend with back ends to skip', () => {
  it('does not probe a skipped back end, and says why in its outcome', async () => {
    const probed: BackendName[] = [];
    const c = await chooseBackend(
      (name) => {
        probed.push(name);
        return probeWith({ webgpu: 1, webgl: 2, wasm: 20 })(name);
      },
      { skip: new Map([['webgpu', 'WebGPU here runs in software (SwiftShader)']]) },
    );
    expect(probed).toEqual(['webgl', 'wasm']);
    expect(c.chosen).toBe('webgl');
    expect(c.outcomes.find((o) => o.name === 'webgpu')).toEqual({
      name: 'webgpu',
      ok: false,
      error: 'not probed: WebGPU here runs in software (SwiftShader)',
    });
  });

  it('still probes a skipped back end the user chose', async () => {
    const c = await chooseBackend(probeWith({ webgpu: 1, wasm: 20 }), {
      override: 'webgpu',
      skip: new Map([['webgpu', 'software']]),
    });
    expect(c.chosen).toBe('webgpu');
  });
});
