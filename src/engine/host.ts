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
import type { EngineStatus, FrameMessage, FrameReply } from '../shared/protocol';
import { DEFAULT_ENGINE, Engine } from './engine';
import { FaceCropper } from './face-crop';
import { LatestFrameQueue } from './frame-queue';
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
  private engine: Engine | undefined;
  private readonly queue = new LatestFrameQueue<{ msg: FrameMessage; reply: (r: FrameReply) => void }>(
    (item) => item.reply({ kind: 'dropped', sourceId: item.msg.sourceId, timestamp: item.msg.timestamp }),
  );
  private pumping = false;
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
    this.engine = new Engine(this.detector, this.classifier, new FaceCropper(), DEFAULT_ENGINE);
    this.state = {
      state: 'ready',
      backend: choice.chosen,
      detector: this.detector.name,
      backendReason: choice.reason,
      probes: choice.outcomes.map((o) => ({ name: o.name, ok: o.ok, ms: o.ms, error: o.error })),
      model: { params: this.classifier.spec.params, macsPerFace: this.classifier.spec.macsPerFace },
    };
  }

  /**
   * Analyses one frame. Frames are processed one at a time; a newer frame of the same source
   * replaces one still waiting, which is answered `dropped`.
   */
  async analyzeFrame(msg: FrameMessage): Promise<FrameReply> {
    const status = await this.start();
    if (status.state !== 'ready')
      return { kind: 'unavailable', reason: status.error ?? `the engine is ${status.state}` };
    return new Promise((reply) => {
      this.queue.push({ sourceId: msg.sourceId, timestamp: msg.timestamp, frame: { msg, reply } });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let item = this.queue.take(); item; item = this.queue.take()) {
        const { msg, reply } = item.frame;
        try {
          reply(await this.process(msg));
        } catch (error) {
          reply({ kind: 'unavailable', reason: error instanceof Error ? error.message : String(error) });
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private async process(msg: FrameMessage): Promise<FrameReply> {
    const engine = this.engine;
    if (!engine) throw new Error('the engine is not ready');
    const bitmap = await decodeJpegDataUrl(msg.jpeg);
    try {
      const r = await engine.process(msg.sourceId, msg.timestamp, bitmap);
      return {
        kind: 'result',
        sourceId: r.sourceId,
        timestamp: r.timestamp,
        width: r.width,
        height: r.height,
        faces: r.faces.map((f) => ({
          trackId: f.trackId,
          box: f.box,
          probabilities: f.probabilities,
          dominant: f.dominant,
          confidence: f.confidence,
        })),
        timings: r.timings,
      };
    } finally {
      bitmap.close();
    }
  }

  /** A source went away: forget its tracks. */
  forgetSource(sourceId: string): void {
    this.engine?.forgetSource(sourceId);
    this.queue.forget(sourceId);
  }

  async classify(faces: readonly Uint8Array[]): Promise<Float32Array[]> {
    await this.start();
    if (!this.classifier) throw new Error(`the engine is not ready: ${this.state.error ?? this.state.state}`);
    return this.classifier.classify(faces);
  }
}

/** Decodes a JPEG data URL without fetch (the extension CSP's connect-src does not allow data:). */
async function decodeJpegDataUrl(dataUrl: string): Promise<ImageBitmap> {
  const comma = dataUrl.indexOf(',');
  if (!dataUrl.startsWith('data:image/') || comma < 0) throw new Error('the frame is not an image data URL');
  const binary = atob(dataUrl.slice(comma + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    return await createImageBitmap(new Blob([bytes], { type: dataUrl.slice(5, dataUrl.indexOf(';')) }));
  } catch {
    throw new Error('the frame could not be decoded');
  }
}
