/**
 * The FER classifier on tfjs back ends, as BackendManager sees them: probe (time a small batch),
 * activate, watch for a lost device or context, remove a broken back end, release one not in use.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from './backend-choice';
import type { BackendRuntime } from './backend-manager';
import { FerClassifier, type ModelSource } from './fer/classifier';
import { FACE_PIXELS } from './fer/preprocess';

/** The classifier on tfjs back ends, for BackendManager. */
export function tfjsRuntime(source: ModelSource): BackendRuntime {
  const blank = [new Uint8Array(FACE_PIXELS).fill(128)];
  const use = async (name: BackendName) => {
    if (!(await tf.setBackend(name))) throw new Error(`${name} is not available`);
    await tf.ready();
  };
  return {
    async probe(name) {
      await use(name);
      const probe = await FerClassifier.load(source);
      try {
        await probe.classify(blank); // warm-up: compiles shaders, allocates
        const times: number[] = [];
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          await probe.classify(blank);
          times.push(performance.now() - t);
        }
        return times.sort((a, b) => a - b)[1] as number;
      } finally {
        probe.dispose();
      }
    },
    async activate(name) {
      await use(name);
      return FerClassifier.load(source);
    },
    watch(name, lost) {
      let stopped = false;
      let reason: string | undefined;
      const report = (why: string) => {
        if (reason !== undefined) return;
        reason = why;
        if (!stopped) lost(why);
      };
      const backend = tf.findBackend(name) as unknown;
      if (name === 'webgpu') {
        const device = (backend as { device?: { lost?: Promise<{ reason?: string; message?: string }> } })
          .device;
        void device?.lost?.then((info) =>
          report(
            `the WebGPU device was lost (${info.reason ?? 'unknown'}${info.message ? `: ${info.message}` : ''})`,
          ),
        );
        return { check: () => reason, stop: () => (stopped = true) };
      }
      if (name === 'webgl') {
        const gl = (backend as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
        const canvas = gl?.canvas as EventTarget | undefined;
        const onLost = () => report('the WebGL context was lost');
        canvas?.addEventListener('webglcontextlost', onLost);
        return {
          check: () => {
            if (gl?.isContextLost()) report('the WebGL context was lost');
            return reason;
          },
          stop: () => {
            stopped = true;
            canvas?.removeEventListener('webglcontextlost', onLost);
          },
        };
      }
      return { check: () => reason, stop: () => (stopped = true) };
    },
    remove(name) {
      tf.removeBackend(name);
    },
    release(name) {
      // tfjs has no public way to drop a back end's instance but keep it registered: remove it and
      // register its factory again, so that the user can still choose it later
      const registered = (
        tf.engine() as unknown as {
          registryFactory: Record<
            string,
            { factory: () => tf.KernelBackend | Promise<tf.KernelBackend>; priority: number }
          >;
        }
      ).registryFactory[name];
      if (!registered || tf.getBackend() === name) return;
      tf.removeBackend(name);
      tf.registerBackend(name, registered.factory, registered.priority);
    },
  };
}
