/**
 * Starts the extension's face detector (MediaPipe, from the package) on the delegate
 * detector-choice.ts picks; a failure is an error in words for the engine's status.
 */
import { chooseDetector, type Delegate, type DetectorChoiceOptions } from './detector-choice';
import { createMediaPipeDetector } from './mediapipe-detector';
import type { FaceDetector } from './types';

export interface PackagedDetector {
  /** Resolves a package path (runtime.getURL). */
  url: (path: string) => string;
  mediapipeWasmDir: string;
  faceModelPath: string;
}

export async function startFaceDetector(
  packaged: PackagedDetector,
  choice: DetectorChoiceOptions,
): Promise<{ detector: FaceDetector; delegate: Delegate; reason: string }> {
  try {
    return await chooseDetector(
      (delegate) =>
        createMediaPipeDetector({
          wasmBase: packaged.url(packaged.mediapipeWasmDir),
          modelUrl: packaged.url(packaged.faceModelPath),
          delegate,
        }),
      choice,
    );
  } catch (error) {
    throw new Error(`face detection did not load: ${error instanceof Error ? error.message : String(error)}`);
  }
}
