/**
 * Files the extension packages besides its bundles, and where they live in the package. The build
 * copies them (vite.config.ts); the engine loads them with runtime.getURL; a convention test checks
 * that every one of them is in the built package.
 */
export interface PackagedAsset {
  /** Source, relative to the repository root. */
  from: string;
  /** Destination folder inside the package. */
  to: string;
}

export const PACKAGED_ASSETS: PackagedAsset[] = [
  { from: 'models/fer-resnet/model.json', to: 'models/fer-resnet' },
  { from: 'models/fer-resnet/weights.bin', to: 'models/fer-resnet' },
  // tfjs wasm back end: plain, SIMD and threaded SIMD (the threads' scripts come from
  // scripts/tfjs-wasm-threads-plugin.ts)
  { from: 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm', to: 'wasm/tfjs' },
  { from: 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm', to: 'wasm/tfjs' },
  {
    from: 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm',
    to: 'wasm/tfjs',
  },
  // MediaPipe Tasks vision runtime (pinned 0.10.35), SIMD build only (every browser MoodLens
  // supports has wasm SIMD), and the BlazeFace model with metadata
  { from: 'node_modules/@mediapipe/tasks-vision/wasm/vision_wasm_internal.js', to: 'wasm/mediapipe' },
  { from: 'node_modules/@mediapipe/tasks-vision/wasm/vision_wasm_internal.wasm', to: 'wasm/mediapipe' },
  { from: 'models/face-detector/face_detection_short_range.tflite', to: 'models/face-detector' },
];

/** Package paths of the FER model, as the engine loads them. */
export const FER_MODEL_DIR = 'models/fer-resnet';
export const TFJS_WASM_DIR = 'wasm/tfjs/';
export const MEDIAPIPE_WASM_DIR = 'wasm/mediapipe';
export const FACE_MODEL_PATH = 'models/face-detector/face_detection_short_range.tflite';
