/**
 * Test page: the extension's ExtensionPageEngine (detector delegate probe, back-end manager, frame queue)
 * with its package paths mapped to the test server. The query chooses the back-end override
 * (?backend=) and the model folder (?model=, to test a model that fails to load). The browser test
 * drives it through window.pageEngineTest.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ExtensionPageEngine } from '../../src/engine/extension-page-engine';
import { BACKEND_NAMES, type EngineStatus, type FrameReply } from '../../src/shared/protocol';

const query = new URLSearchParams(location.search);
const backend = BACKEND_NAMES.find((b) => b === query.get('backend'));

/** Package path → test server path. */
function url(path: string): string {
  if (path.startsWith('wasm/tfjs')) return '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';
  if (path.startsWith('wasm/mediapipe')) return '/node_modules/@mediapipe/tasks-vision/wasm';
  return `/${path}`;
}

const engine = new ExtensionPageEngine({
  url,
  modelDir: query.get('model') ?? 'models/fer-resnet',
  wasmDir: 'wasm/tfjs/',
  mediapipeWasmDir: 'wasm/mediapipe',
  faceModelPath: 'models/face-detector/face_detection_short_range.tflite',
  backendOverride: backend,
  detectorDelegate: query.get('delegate') === 'CPU' ? 'CPU' : 'auto',
  // WebGPU on SwiftShader (software) needs far longer than a real GPU for its first run
  probeTimeoutMs: Number(query.get('probeTimeoutMs') ?? 15_000),
});

async function jpegOf(picture: string): Promise<string> {
  const blob = await (await fetch(picture)).blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(new Error('could not read the picture'));
    reader.readAsDataURL(blob);
  });
}

let clock = 0;
async function analyse(picture: string, sourceId = 'tile'): Promise<FrameReply> {
  clock += 500;
  return engine.analyzeFrame({ sourceId, timestamp: clock, jpeg: await jpegOf(picture) });
}

/** Loses the active GPU back end's device or context, as a driver reset or a crash would. */
function loseDevice(): string {
  const name = tf.getBackend();
  const backend = tf.backend() as unknown as {
    device?: { destroy(): void };
    gpgpu?: { gl: WebGLRenderingContext };
  };
  if (name === 'webgpu' && backend.device) backend.device.destroy();
  else if (name === 'webgl' && backend.gpgpu) {
    const ext = backend.gpgpu.gl.getExtension('WEBGL_lose_context');
    if (!ext) throw new Error('WEBGL_lose_context is not available');
    ext.loseContext();
  } else throw new Error(`cannot lose the ${name} back end`);
  return name;
}

(window as unknown as { pageEngineTest: object }).pageEngineTest = {
  start: (): Promise<EngineStatus> => engine.start(),
  status: (): EngineStatus => engine.status,
  analyse,
  loseDevice,
  setBackend: (b: string) => engine.setBackendOverride(BACKEND_NAMES.find((n) => n === b)),
  forget: (id: string) => engine.forgetSource(id),
  sources: () => engine.sources,
  loads: () => engine.loads,
  tensors: () => tf.memory().numTensors,
};
document.body.dataset.ready = 'true';
