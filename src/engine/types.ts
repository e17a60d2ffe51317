import type { Point } from './crop-geometry';
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

export interface FaceResult {
  trackId: number;
  box: Box;
  keypoints: Point[];
  /** Seven probabilities in FER2013 order (smoothed per track when smoothing is on). */
  probabilities: number[];
  dominant: string;
  confidence: number;
}

export interface FrameResult {
  sourceId: string;
  timestamp: number;
  width: number;
  height: number;
  faces: FaceResult[];
  timings: { detectMs: number; cropMs: number; classifyMs: number; totalMs: number };
}
