/** The one EngineHost of an extension page, loading from the package. */
import { browser } from '../shared/platform';
import { FACE_MODEL_PATH, FER_MODEL_DIR, MEDIAPIPE_WASM_DIR, TFJS_WASM_DIR } from '../shared/packaged-assets';
import type {
  EngineChoice,
  EngineStatus,
  FacesClassified,
  FrameMessage,
  FrameReply,
} from '../shared/protocol';
import { EngineHost } from './host';

let host: EngineHost | undefined;

/** The page's host; `remembered` (the last start's choice) counts only on the call that makes it. */
export function engineHost(remembered?: EngineChoice): EngineHost {
  host ??= new EngineHost({
    remembered,
    url: (p) => browser.runtime.getURL(p),
    modelDir: FER_MODEL_DIR,
    wasmDir: TFJS_WASM_DIR,
    mediapipeWasmDir: MEDIAPIPE_WASM_DIR,
    faceModelPath: FACE_MODEL_PATH,
  });
  return host;
}

export function engineStatus(start: boolean): Promise<EngineStatus> | EngineStatus {
  const h = engineHost();
  return start ? h.start() : h.status;
}

export function analyzeFrame(msg: FrameMessage): Promise<FrameReply> {
  return engineHost().analyzeFrame(msg);
}

/** Probabilities for 48x48 grey faces (bytes) through the packaged model (development builds test it). */
export async function classifyFaces(faces: number[][]): Promise<FacesClassified> {
  const h = engineHost();
  const probabilities = await h.classify(faces.map((f) => Uint8Array.from(f)));
  return { probabilities: probabilities.map((p) => Array.from(p)), backend: h.status.backend };
}
