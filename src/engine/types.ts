import type { Point } from './crop-geometry';
import type { FaceReport, FrameResult as ProtocolFrameResult } from '../shared/protocol';
import type { Box } from './tracking';

export type { Box, Point };

/** A face found by the detector, in source pixels. */
export interface Detection {
  box: Box;
  /** MediaPipe BlazeFace order: right eye, left eye, nose tip, mouth, right ear, left ear. */
  keypoints: Point[];
  score: number;
}

/** One interface for every face detector back end (MediaPipe tasks-vision, a test double). */
export interface FaceDetector {
  readonly name: string;
  detect(image: ImageData | ImageBitmap | OffscreenCanvas, timestamp: number): Promise<Detection[]>;
  close(): void;
}

/** A face as the engine reports it: the protocol's face (src/shared/protocol.ts) and its keypoints. */
export interface FaceResult extends FaceReport {
  keypoints: Point[];
}

/** A frame's result inside the engine; hosts send it as the protocol's FrameResult (`kind: 'result'`). */
export interface FrameResult extends Omit<ProtocolFrameResult, 'kind' | 'faces'> {
  faces: FaceResult[];
}
