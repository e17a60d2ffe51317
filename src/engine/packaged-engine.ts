/**
 * The extension page's one engine (ExtensionPageEngine), loading from the package: Chrome's
 * offscreen document and Firefox's background page each make it once and talk to it through here.
 */
import { browser, target } from '../shared/platform';
import { FACE_MODEL_PATH, FER_MODEL_DIR, MEDIAPIPE_WASM_DIR, TFJS_WASM_DIR } from '../shared/packaged-assets';
import type {
  EngineChoice,
  EngineStatus,
  FacesClassified,
  FrameMessage,
  FrameReply,
} from '../shared/protocol';
import { ExtensionPageEngine } from './extension-page-engine';
import { wasmThreadCount } from './wasm-threads';

let engine: ExtensionPageEngine | undefined;

/**
 * The page's engine; `remembered` (the last start's choice) and `wasmThreads` (a developer's
 * override of the thread count, wasm-threads.ts) count only on the call that makes it.
 */
export function packagedEngine(remembered?: EngineChoice, wasmThreads?: number): ExtensionPageEngine {
  engine ??= new ExtensionPageEngine({
    remembered,
    url: (p) => browser.runtime.getURL(p),
    modelDir: FER_MODEL_DIR,
    wasmDir: TFJS_WASM_DIR,
    mediapipeWasmDir: MEDIAPIPE_WASM_DIR,
    faceModelPath: FACE_MODEL_PATH,
    // Chrome's offscreen document has SharedArrayBuffer; Firefox's background page has not
    wasmThreads: target === 'chrome' ? (wasmThreads ?? wasmThreadCount(navigator.hardwareConcurrency)) : 0,
  });
  return engine;
}

export function engineStatus(start: boolean): Promise<EngineStatus> | EngineStatus {
  const e = packagedEngine();
  return start ? e.start() : e.status;
}

export function analyzeFrame(msg: FrameMessage): Promise<FrameReply> {
  return packagedEngine().analyzeFrame(msg);
}

/** Probabilities for 48x48 grey faces (bytes) through the packaged model (development builds test it). */
export async function classifyFaces(faces: number[][]): Promise<FacesClassified> {
  const e = packagedEngine();
  const probabilities = await e.classify(faces.map((f) => Uint8Array.from(f)));
  return { probabilities: probabilities.map((p) => Array.from(p)), backend: e.status.backend };
}
