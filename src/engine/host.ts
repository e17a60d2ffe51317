/**
 * The engine in an extension page (Chrome's offscreen document, Firefox's background page): loads
 * the packaged model, picks the tfjs back end by probe, and reports its status in words. Start-up
 * is single-flight; a failure is kept as a status (no retry loop) for the page's life.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type {
  EngineChoice,
  EngineSettings,
  EngineStatus,
  FrameMessage,
  FrameReply,
} from '../shared/protocol';
import { DEFAULT_ENGINE, Engine } from './engine';
import { FaceCropper } from './face-crop';
import { LatestFrameQueue } from './frame-queue';
import type { BackendName } from './backend-choice';
import { BackendManager } from './backend-manager';
import { chooseDetector, type Delegate } from './detector-choice';
import { choiceForThisBrowser } from './engine-choice';
import type { ModelSource } from './fer/classifier';
import { parseModelSpec } from './fer/spec';
import { gpuReport } from './gpu-info';
import { createMediaPipeDetector } from './mediapipe-detector';
import { tfjsRuntime } from './tfjs-runtime';
import type { FaceDetector } from './types';

export interface HostOptions {
  /** Resolves a package path (runtime.getURL). */
  url: (path: string) => string;
  modelDir: string;
  wasmDir: string;
  mediapipeWasmDir: string;
  faceModelPath: string;
  backendOverride?: BackendName | undefined;
  /** MediaPipe delegate: 'auto' probes CPU (XNNPACK) and GPU and keeps the faster. */
  detectorDelegate?: 'auto' | 'CPU' | 'GPU';
  /** A back end whose start-up probe takes longer counts as not working (default 15 s). */
  probeTimeoutMs?: number;
  /** The choice that worked at the last start (engine-choice.ts); used only by the browser that made it. */
  remembered?: EngineChoice | undefined;
}

function modelSource(
  url: (p: string) => string,
  dir: string,
): ModelSource & { load: () => Promise<ModelSource> } {
  const read = async (name: string) => {
    let res: Response;
    try {
      res = await fetch(url(`${dir}/${name}`));
    } catch {
      throw new Error(`the model file ${dir}/${name} could not be read from the package`);
    }
    if (!res.ok) throw new Error(`the model file ${dir}/${name} is missing from the package (${res.status})`);
    return res.arrayBuffer();
  };
  return {
    manifest: undefined,
    readFile: read,
    load: async () => {
      const text = new TextDecoder().decode(await read('model.json'));
      try {
        return { manifest: JSON.parse(text) as unknown, readFile: read };
      } catch {
        throw new Error(`the model file ${dir}/model.json is damaged (not JSON)`);
      }
    },
  };
}

export class EngineHost {
  private starting: Promise<void> | undefined;
  private backends: BackendManager | undefined;
  private detector: FaceDetector | undefined;
  private detectorReason = '';
  private delegate: Delegate = 'CPU';
  private engine: Engine | undefined;
  private readonly queue = new LatestFrameQueue<{ msg: FrameMessage; reply: (r: FrameReply) => void }>(
    (item) => {
      item.msg.bitmap?.close();
      item.reply({ kind: 'dropped', sourceId: item.msg.sourceId, timestamp: item.msg.timestamp });
    },
  );
  private pumping = false;
  private state: EngineStatus = { state: 'idle' };
  private override: BackendName | undefined;
  private params = { params: 0, macsPerFace: 0 };
  private smoothingHalfLifeMs = DEFAULT_ENGINE.smoothingHalfLifeMs;
  private startup: EngineStatus['startup'];
  /** Times the host started loading (a failed start is not retried). */
  loads = 0;

  constructor(private readonly options: HostOptions) {
    this.override = options.backendOverride;
  }

  get status(): EngineStatus {
    return this.state;
  }

  start(): Promise<EngineStatus> {
    this.starting ??= this.boot().catch((error: unknown) => {
      this.state = { state: 'error', error: error instanceof Error ? error.message : String(error) };
    });
    return this.starting.then(() => this.state);
  }

  /** The user's engine settings; applied now when the engine runs, else at its start. */
  async configure(settings: EngineSettings): Promise<EngineStatus> {
    this.smoothingHalfLifeMs = settings.smoothingHalfLifeMs;
    this.engine?.configure({ smoothingHalfLifeMs: settings.smoothingHalfLifeMs });
    return this.setBackendOverride(settings.backend);
  }

  /** The user's back-end choice (undefined: automatic); applied now when the engine runs. */
  async setBackendOverride(override: BackendName | undefined): Promise<EngineStatus> {
    this.override = override;
    if (this.state.state !== 'ready' || !this.backends) return this.state;
    try {
      await this.backends.setOverride(override);
      this.refreshState();
    } catch (error) {
      this.state = { state: 'error', error: error instanceof Error ? error.message : String(error) };
    }
    return this.state;
  }

  private refreshState(): void {
    if (!this.backends || !this.detector) return;
    const b = this.backends.state;
    this.state = {
      state: 'ready',
      backend: b.backend,
      backendReason: b.reason,
      override: this.override,
      detector: this.detector.name,
      detectorReason: this.detectorReason,
      probes: b.probes.map((o) => ({ name: o.name, ok: o.ok, ms: o.ms, error: o.error })),
      failedBackends: b.failed,
      recoveries: b.recoveries,
      model: this.params,
      startup: this.startup,
      choice: { browser: navigator.userAgent, backend: b.backend, detector: this.delegate },
    };
  }

  private async boot(): Promise<void> {
    this.loads++;
    this.state = { state: 'loading' };
    const t0 = performance.now();
    // the model first: it is the part most likely to be missing or damaged, and cheap to read;
    // meanwhile the browser says which GPU back ends are absent or software-only (not probed then)
    const [source, gpu] = await Promise.all([
      modelSource(this.options.url, this.options.modelDir).load(),
      gpuReport(),
    ]);
    const remembered = choiceForThisBrowser(this.options.remembered, navigator.userAgent);
    const t1 = performance.now();
    const skip = new Map<BackendName, string>();
    if (!gpu.webgpu.usable) skip.set('webgpu', gpu.webgpu.why);
    if (!gpu.webgl.usable) skip.set('webgl', gpu.webgl.why);
    const detectorOptions = {
      mode: this.options.detectorDelegate ?? 'auto',
      gpuSkip: gpu.webgl.usable ? undefined : gpu.webgl.why,
      remembered: remembered?.detector,
    } as const;
    const detecting = async () => {
      try {
        const chosen = await chooseDetector(
          (delegate) =>
            createMediaPipeDetector({
              wasmBase: this.options.url(this.options.mediapipeWasmDir),
              modelUrl: this.options.url(this.options.faceModelPath),
              delegate,
            }),
          detectorOptions,
        );
        this.detector = chosen.detector;
        this.delegate = chosen.delegate;
        this.detectorReason = chosen.reason;
        return performance.now();
      } catch (error) {
        throw new Error(
          `face detection did not load: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    };
    // tfjs-backend-wasm's threads hang in extension pages, cross-origin isolated or not (README.md)
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(this.options.url(this.options.wasmDir));
    const backends = new BackendManager(
      tfjsRuntime(source),
      this.override,
      () => this.refreshState(),
      this.options.probeTimeoutMs,
    );
    this.backends = backends;
    const classifying = () =>
      backends.start({ skip, remembered: remembered?.backend }).then(() => performance.now());
    // The detector and the classifier start side by side (each compiles its wasm) when the detector
    // has nothing to time; otherwise one after the other, so that neither's timings skew the other's.
    const sideBySide =
      detectorOptions.mode !== 'auto' ||
      detectorOptions.gpuSkip !== undefined ||
      detectorOptions.remembered !== undefined;
    let t2: number;
    let t3: number;
    if (sideBySide) [t2, t3] = await Promise.all([detecting(), classifying()]);
    else {
      t2 = await detecting();
      t3 = await classifying();
    }
    this.startup = {
      modelMs: t1 - t0,
      detectorMs: t2 - t1,
      backendMs: t3 - (sideBySide ? t1 : t2),
      totalMs: performance.now() - t0,
    };
    const spec = parseModelSpec(source.manifest);
    this.params = { params: spec.params, macsPerFace: spec.macsPerFace };
    if (!this.detector) throw new Error('face detection did not load');
    this.engine = new Engine(this.detector, backends, new FaceCropper(), {
      ...DEFAULT_ENGINE,
      smoothingHalfLifeMs: this.smoothingHalfLifeMs,
    });
    this.refreshState();
  }

  /**
   * Analyses one frame. Frames are processed one at a time; a newer frame of the same source
   * replaces one still waiting, which is answered `dropped`.
   */
  async analyzeFrame(msg: FrameMessage): Promise<FrameReply> {
    const status = await this.start();
    if (status.state !== 'ready') {
      msg.bitmap?.close();
      return { kind: 'unavailable', reason: status.error ?? `the engine is ${status.state}` };
    }
    // a black bitmap is answered at once, not after the frames queued before it
    if (msg.bitmap && isBlack(msg.bitmap)) {
      msg.bitmap.close();
      return { kind: 'black', sourceId: msg.sourceId, timestamp: msg.timestamp };
    }
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
    const bitmap = msg.bitmap ?? (await decodeJpegDataUrl(msg.jpeg ?? ''));
    try {
      // (a bitmap was looked at when it arrived; a JPEG only now that it is decoded)
      if (!msg.bitmap && isBlack(bitmap))
        return { kind: 'black', sourceId: msg.sourceId, timestamp: msg.timestamp };
      const r = await engine.process(msg.sourceId, msg.timestamp, bitmap);
      return {
        kind: 'result',
        sourceId: r.sourceId,
        timestamp: r.timestamp,
        width: r.width,
        height: r.height,
        faces: r.faces.map((f) => ({
          trackId: f.trackId,
          primary: f.primary,
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

  /** Probabilities for 48x48 grey faces on the current back end (the same path frames take). */
  async classify(faces: readonly Uint8Array[]): Promise<Float32Array[]> {
    await this.start();
    if (!this.backends) throw new Error(`the engine is not ready: ${this.state.error ?? this.state.state}`);
    return this.backends.classify(faces);
  }

  /** Sources with tracks (forgotten after a while without frames, or when told). */
  get sources(): string[] {
    return this.engine?.sourceIds ?? [];
  }
}

/** Side of the thumbnail the black test looks at: enough to tell a picture from a black frame. */
const BLACK_PROBE = 24;
let blackProbe: OffscreenCanvasRenderingContext2D | null | undefined;

/**
 * Is the frame all black (every channel of a small thumbnail at most 12)? A protected video often
 * plays as black; the test runs here, not in the page, so it costs the page nothing.
 */
export function isBlack(bitmap: ImageBitmap): boolean {
  blackProbe ??= new OffscreenCanvas(BLACK_PROBE, BLACK_PROBE).getContext('2d', { willReadFrequently: true });
  if (!blackProbe) return false;
  blackProbe.drawImage(bitmap, 0, 0, BLACK_PROBE, BLACK_PROBE);
  const { data } = blackProbe.getImageData(0, 0, BLACK_PROBE, BLACK_PROBE);
  for (let i = 0; i < data.length; i += 4) {
    if ((data[i] as number) > 12 || (data[i + 1] as number) > 12 || (data[i + 2] as number) > 12)
      return false;
  }
  return true;
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
