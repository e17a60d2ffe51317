/**
 * Face detection with MediaPipe Tasks (BlazeFace short range), every asset from the package.
 * Pinned to @mediapipe/tasks-vision 0.10.35: versions 1.0.0 and later post usage logs to a Google
 * server from their JS bundle (tests/unit/no-remote-code.test.ts keeps it that way). One detector
 * for the life of the host; CPU (XNNPACK) delegate unless the GPU delegate is asked for.
 */
import { FaceDetector as MpFaceDetector, FilesetResolver } from '@mediapipe/tasks-vision';
import type { Detection, FaceDetector } from './types';

export interface MediaPipeOptions {
  /** URL of the folder holding vision_wasm_internal.{js,wasm} (package path via runtime.getURL). */
  wasmBase: string;
  /** URL of the .tflite model with metadata (scripts/prepare-face-model.ts). */
  modelUrl: string;
  delegate?: 'CPU' | 'GPU';
  minDetectionConfidence?: number;
}

export async function createMediaPipeDetector(options: MediaPipeOptions): Promise<FaceDetector> {
  const fileset = await FilesetResolver.forVisionTasks(options.wasmBase);
  const model = await fetch(options.modelUrl);
  if (!model.ok)
    throw new Error(
      `the face detection model is missing from the package (${options.modelUrl}: ${model.status})`,
    );
  const detector = await MpFaceDetector.createFromOptions(fileset, {
    baseOptions: {
      modelAssetBuffer: new Uint8Array(await model.arrayBuffer()),
      delegate: options.delegate ?? 'CPU',
    },
    runningMode: 'IMAGE',
    minDetectionConfidence: options.minDetectionConfidence ?? 0.5,
  });
  let closed = false;
  return {
    name: `mediapipe-blazeface-short/${options.delegate ?? 'CPU'}`,
    detect(image) {
      if (closed) return Promise.reject(new Error('the face detector was closed'));
      const width = 'width' in image ? image.width : 0;
      const height = 'height' in image ? image.height : 0;
      const result = detector.detect(image);
      return Promise.resolve(
        result.detections.flatMap((d): Detection[] => {
          const b = d.boundingBox;
          if (!b) return [];
          return [
            {
              box: { x: b.originX, y: b.originY, width: b.width, height: b.height },
              keypoints: d.keypoints.map((k) => ({ x: k.x * width, y: k.y * height })),
              score: d.categories[0]?.score ?? 0,
            },
          ];
        }),
      );
    },
    close() {
      closed = true;
      detector.close();
    },
  };
}
