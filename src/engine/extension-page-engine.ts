/**
 * The engine in an extension page (Chrome's offscreen document, Firefox's background page): loads
 * the packaged model, picks the tfjs back end by probe, and reports its status in words. Start-up
 * is single-flight; a failure is kept as a status (no retry loop) for the page's life. The parts
 * are their own modules; this class only puts them together.
 */
import type {
  EngineChoice,
  EngineSettings,
  EngineStatus,
  FrameMessage,
  FrameReply,
} from '../shared/protocol';
import type { BackendName } from './backend-choice';
import type { BackendManager } from './backend-manager';
import { isBlack } from './black-frame';
import type { Delegate } from './detector-choice';
import { DEFAULT_ENGINE, Engine } from './engine';
import { choiceForThisBrowser } from './engine-choice';
import { startFaceDetector } from './face-detector-start';
import { FaceCropper } from './face-crop';
import { parseModelSpec } from './fer/spec';
import { answerFrames } from './frame-answer';
import { FramePump } from './frame-pump';
import { gpuReport } from './gpu-info';
import { readPackagedModel } from './packaged-model';
import { tfjsBackendManager, wasmThreadsInUse } from './tfjs-backends';
import type { FaceDetector } from './types';

export interface ExtensionPageEngineOptions {
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
  /** Threads for the wasm back end (wasm-threads.ts); 0 or absent: single-threaded. */
  wasmThreads?: number;
}

export class ExtensionPageEngine {
  private starting: Promise<void> | undefined;
  private backends: BackendManager | undefined;
  private detector: FaceDetector | undefined;
  private detectorReason = '';
  private delegate: Delegate = 'CPU';
  private engine: Engine | undefined;
  private readonly frames = new FramePump((msgs) => {
    if (!this.engine) throw new Error('the engine is not ready');
    return answerFrames(this.engine, msgs);
  });
  private state: EngineStatus = { state: 'idle' };
  private override: BackendName | undefined;
  private params = { params: 0, macsPerFace: 0 };
  private smoothingHalfLifeMs = DEFAULT_ENGINE.smoothingHalfLifeMs;
  private startup: EngineStatus['startup'];
  /** Times the engine started loading (a failed start is not retried). */
  loads = 0;

  constructor(private readonly options: ExtensionPageEngineOptions) {
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
      wasmThreads: b.backend === 'wasm' ? wasmThreadsInUse() : undefined,
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
      readPackagedModel(this.options.url, this.options.modelDir),
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
      const chosen = await startFaceDetector(this.options, detectorOptions);
      this.detector = chosen.detector;
      this.delegate = chosen.delegate;
      this.detectorReason = chosen.reason;
      return performance.now();
    };
    const backends = tfjsBackendManager(source, {
      wasmPath: this.options.url(this.options.wasmDir),
      override: this.override,
      onChange: () => this.refreshState(),
      probeTimeoutMs: this.options.probeTimeoutMs,
      wasmThreads: this.options.wasmThreads ?? 0,
    });
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
    return this.frames.push(msg);
  }

  /** A source went away: forget its tracks. */
  forgetSource(sourceId: string): void {
    this.engine?.forgetSource(sourceId);
    this.frames.forget(sourceId);
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
