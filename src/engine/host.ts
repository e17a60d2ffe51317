/**
 * The engine in an extension page (Chrome's offscreen document, Firefox's background page): loads
 * the packaged model, picks the tfjs back end by probe, and reports its status in words. Start-up
 * is single-flight; a failure is kept as a status (no retry loop) until `restart()`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { EngineStatus } from '../shared/protocol';
import { chooseBackend, type BackendName } from './backend-choice';
import { FerClassifier, type ModelSource } from './fer/classifier';
import { FACE_PIXELS } from './fer/preprocess';
import { createMediaPipeDetector } from './mediapipe-detector';
import type { FaceDetector } from './types';

export interface HostOptions {
  /** Resolves a package path (runtime.getURL). */
  url: (path: string) => string;
  modelDir: string;
  wasmDir: string;
  mediapipeWasmDir: string;
  faceModelPath: string;
  backendOverride?: BackendName;
}

function modelSource(
  url: (p: string) => string,
  dir: string,
): ModelSource & { load: () => Promise<ModelSource> } {
  const read = async (name: string) => {
    const res = await fetch(url(`${dir}/${name}`));
    if (!res.ok) throw new Error(`the model file ${dir}/${name} is missing from the package (${res.status})`);
    return res.arrayBuffer();
  };
  return {
    manifest: undefined,
    readFile: read,
    load: async () => ({
      manifest: JSON.parse(new TextDecoder().decode(await read('model.json'))) as unknown,
      readFile: read,
    }),
  };
}

export class EngineHost {
  private starting: Promise<void> | undefined;
  private classifier: FerClassifier | undefined;
  private detector: FaceDetector | undefined;
  private state: EngineStatus = { state: 'idle' };

  constructor(private readonly options: HostOptions) {}

  get status(): EngineStatus {
    return this.state;
  }

  start(): Promise<EngineStatus> {
    this.starting ??= this.boot().catch((error: unknown) => {
      this.state = { state: 'error', error: error instanceof Error ? error.message : String(error) };
    });
    return this.starting.then(() => this.state);
  }

  async restart(): Promise<EngineStatus> {
    this.classifier?.dispose();
    this.classifier = undefined;
    this.detector?.close();
    this.detector = undefined;
    this.starting = undefined;
    return this.start();
  }

  private async boot(): Promise<void> {
    this.state = { state: 'loading' };
    try {
      this.detector = await createMediaPipeDetector({
        wasmBase: this.options.url(this.options.mediapipeWasmDir),
        modelUrl: this.options.url(this.options.faceModelPath),
      });
    } catch (error) {
      throw new Error(
        `face detection did not load: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    // tfjs-backend-wasm hangs in extension pages with threads (no cross-origin isolation there)
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(this.options.url(this.options.wasmDir));
    const source = await modelSource(this.options.url, this.options.modelDir).load();
    const blank = [new Uint8Array(FACE_PIXELS).fill(128)];
    const choice = await chooseBackend(
      async (name) => {
        if (!(await tf.setBackend(name))) throw new Error(`${name} is not available`);
        await tf.ready();
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
      { override: this.options.backendOverride },
    );
    if (!(await tf.setBackend(choice.chosen)))
      throw new Error(`the ${choice.chosen} back end stopped working`);
    this.classifier = await FerClassifier.load(source);
    this.state = {
      state: 'ready',
      backend: choice.chosen,
      detector: this.detector.name,
      backendReason: choice.reason,
      probes: choice.outcomes.map((o) => ({ name: o.name, ok: o.ok, ms: o.ms, error: o.error })),
      model: { params: this.classifier.spec.params, macsPerFace: this.classifier.spec.macsPerFace },
    };
  }

  async classify(faces: readonly Uint8Array[]): Promise<Float32Array[]> {
    await this.start();
    if (!this.classifier) throw new Error(`the engine is not ready: ${this.state.error ?? this.state.state}`);
    return this.classifier.classify(faces);
  }
}
