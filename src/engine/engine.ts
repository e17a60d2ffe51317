import { fitCrop, type FramingRule } from './crop-geometry';
import type { FaceCropper, FrameSource } from './face-crop';
import { FER_CLASSES } from './fer/spec';
import { ProbabilitySmoother } from './smoothing';
import { DEFAULT_PRIMARY, PrimaryTrack, type PrimaryOptions } from './primary-track';
import {
  DEFAULT_TILE_FALLBACK,
  offsetDetection,
  suppress,
  TileFallback,
  tileRects,
  type TileFallbackOptions,
} from './tiling';
import { DEFAULT_TRACKER, Tracker, type TrackerOptions } from './tracking';
import type { Box, Detection, FaceDetector, FaceResult, FrameResult } from './types';

/**
 * The pipeline, the same in every host: detect faces, cut each out as FER2013 frames faces,
 * classify all faces of the frames at hand (one or several sources') in one batch, match them to
 * tracks of their source, smooth, and mark the source's primary face (its own participant;
 * src/engine/primary-track.ts).
 */
export interface Classifier {
  classify(faces: readonly Uint8Array[]): Promise<Float32Array[]>;
}

export interface EngineOptions {
  framing: FramingRule;
  tracker: TrackerOptions;
  /** Which face is the tile's own participant, and how long it keeps that place unseen. */
  primary: PrimaryOptions;
  /** Half-life of the per-track smoothing; 0 gives the raw per-frame output. */
  smoothingHalfLifeMs: number;
  /** Frames smaller than this (either side) are not analysed. */
  minFrameSize: number;
  /** Detections smaller than this (box side, source pixels) are ignored. */
  minFaceSize: number;
  /** Look again in overlapping tiles when the whole frame gives no face (frames of 256 px and more). */
  tiling: boolean;
  /** Those tiles: tileGrid x tileGrid of them (tiling.ts). */
  tileGrid: number;
  /** How often a source whose tiles keep coming up empty has them looked at. */
  tileFallback: TileFallbackOptions;
  /**
   * A source that sends no frame for this long (host clock, ms) is forgotten with its tracks: a
   * video that vanished, a tab that closed or navigated. Its next frame starts new tracks.
   */
  sourceIdleMs: number;
}

/** Cuts a region of a frame as its own image (createImageBitmap in browsers). */
export type TileCutter = (frame: FrameSource, rect: Box) => Promise<ImageBitmap>;

const cutWithImageBitmap: TileCutter = (frame, r) => createImageBitmap(frame, r.x, r.y, r.width, r.height);

/**
 * Box-to-crop rule, measured by `npm run calibrate-framing` (see src/engine/README.md): FER2013
 * faces pasted into 640x480 frames at 128, 192 and 288 px; the median FER square is 1.20-1.25x
 * BlazeFace's mean box side, centred on it horizontally and 0.10-0.12 box heights above its centre
 * (FER2013 crops show more forehead than BlazeFace's box). A head tilt of up to 15 degrees is left
 * as it is: levelling the eyes of every face cost 3 points of pipeline accuracy on validation faces
 * (`npm run pipeline-accuracy -- --usage Validation`; see the README).
 */
export const CALIBRATED_FRAMING: FramingRule = {
  scale: 1.21,
  offsetX: 0,
  offsetY: -0.11,
  freeTiltDegrees: 15,
};

export const DEFAULT_ENGINE: EngineOptions = {
  framing: CALIBRATED_FRAMING,
  tracker: DEFAULT_TRACKER,
  primary: DEFAULT_PRIMARY,
  smoothingHalfLifeMs: 800,
  minFrameSize: 32,
  minFaceSize: 20,
  tiling: true,
  tileGrid: 3,
  tileFallback: DEFAULT_TILE_FALLBACK,
  sourceIdleMs: 30_000,
};

/** A frame for `processFrames`: its source, its time, the picture, and what the detector reads (default: the picture). */
export interface EngineFrame {
  sourceId: string;
  timestamp: number;
  frame: FrameSource & { width: number; height: number };
  detectInput?: ImageData | ImageBitmap | OffscreenCanvas | undefined;
}

/** A frame with its faces found and cut out, waiting for their classification. */
interface FoundFaces {
  result: FrameResult;
  detections: Detection[];
  faces: Uint8Array[];
  /** Its source's state; absent for a frame too small to analyse. */
  state?: SourceState;
}

interface SourceState {
  tracker: Tracker;
  primary: PrimaryTrack;
  smoother: ProbabilitySmoother;
  tiles: TileFallback;
  /** Host clock (performance.now()) of its last frame. */
  lastSeen: number;
}

export class Engine {
  private sources = new Map<string, SourceState>();

  constructor(
    private readonly detector: FaceDetector,
    private readonly classifier: Classifier,
    private readonly cropper: Pick<FaceCropper, 'crop'>,
    private options: EngineOptions = DEFAULT_ENGINE,
    private readonly cutTile: TileCutter = cutWithImageBitmap,
  ) {}

  private async detect(
    frame: FrameSource & { width: number; height: number },
    input: ImageData | ImageBitmap | OffscreenCanvas,
    timestamp: number,
    tiles: TileFallback,
  ): Promise<Detection[]> {
    const found = await this.detector.detect(input, timestamp);
    if (found.length > 0 || !this.options.tiling || Math.min(frame.width, frame.height) < 256) {
      tiles.record(found.length > 0);
      return found;
    }
    if (!tiles.shouldTry()) return found;
    const all: Detection[] = [];
    for (const rect of tileRects(frame.width, frame.height, this.options.tileGrid)) {
      const tile = await this.cutTile(frame, rect);
      try {
        all.push(
          ...(await this.detector.detect(tile, timestamp)).map((d) => offsetDetection(d, rect.x, rect.y)),
        );
      } finally {
        tile.close();
      }
    }
    const merged = suppress(all);
    tiles.record(merged.length > 0);
    return merged;
  }

  configure(patch: Partial<EngineOptions>): void {
    this.options = { ...this.options, ...patch };
    for (const s of this.sources.values()) s.smoother.setHalfLife(this.options.smoothingHalfLifeMs);
  }

  private source(id: string, now: number): SourceState {
    let s = this.sources.get(id);
    if (!s) {
      s = {
        tracker: new Tracker(this.options.tracker),
        primary: new PrimaryTrack(this.options.primary),
        smoother: new ProbabilitySmoother(this.options.smoothingHalfLifeMs),
        tiles: new TileFallback(this.options.tileFallback),
        lastSeen: now,
      };
      this.sources.set(id, s);
    }
    s.lastSeen = now;
    return s;
  }

  /** Sources with state (tracks), most recent last. */
  get sourceIds(): string[] {
    return [...this.sources.keys()];
  }

  /** Forgets every source idle for longer than `sourceIdleMs` at `now` (host clock); returns them. */
  sweep(now = performance.now()): string[] {
    const gone: string[] = [];
    for (const [id, s] of this.sources)
      if (now - s.lastSeen > this.options.sourceIdleMs) {
        this.sources.delete(id);
        gone.push(id);
      }
    return gone;
  }

  /** One frame through the engine (`processFrames` with one frame). */
  async process(
    sourceId: string,
    timestamp: number,
    frame: FrameSource & { width: number; height: number },
    detectInput?: ImageData | ImageBitmap | OffscreenCanvas,
  ): Promise<FrameResult> {
    const [result] = await this.processFrames([{ sourceId, timestamp, frame, detectInput }]);
    return result as FrameResult;
  }

  /**
   * Frames of several sources at once: each is searched for faces and its faces cut out, then the
   * faces of all of them are classified in one batch (cheaper per face than a batch a frame), then
   * each frame's faces are matched to its source's tracks. Results come in the frames' order; each
   * frame's classifyMs is its share of the batch's time, by faces.
   */
  async processFrames(frames: readonly EngineFrame[]): Promise<FrameResult[]> {
    const started = performance.now();
    this.sweep(started);
    const cut = [];
    for (const input of frames) cut.push(await this.findFaces(input, started));
    const faces = cut.flatMap((c) => c.faces);
    const t0 = performance.now();
    const probabilities = faces.length ? await this.classifier.classify(faces) : [];
    const classifyMs = performance.now() - t0;
    let first = 0;
    return cut.map((c) => {
      const mine = probabilities.slice(first, first + c.faces.length);
      first += c.faces.length;
      const share = faces.length ? (classifyMs * c.faces.length) / faces.length : 0;
      return this.finish(c, mine, share);
    });
  }

  /** Detect and cut out one frame's faces; a frame too small to analyse has none (and no state). */
  private async findFaces(input: EngineFrame, now: number): Promise<FoundFaces> {
    const { sourceId, timestamp, frame } = input;
    const { width, height } = frame;
    const result: FrameResult = {
      sourceId,
      timestamp,
      width,
      height,
      faces: [],
      timings: { detectMs: 0, cropMs: 0, classifyMs: 0, totalMs: 0 },
    };
    if (width < this.options.minFrameSize || height < this.options.minFrameSize)
      return { result, detections: [], faces: [] };
    const state = this.source(sourceId, now);
    const t0 = performance.now();
    const detections = (
      await this.detect(frame, input.detectInput ?? (frame as ImageBitmap), timestamp, state.tiles)
    ).filter((d) => Math.min(d.box.width, d.box.height) >= this.options.minFaceSize);
    const t1 = performance.now();
    const faces = detections.map((d) => {
      const [right, left] = d.keypoints;
      const crop = fitCrop(d.box, right && left ? { right, left } : undefined, this.options.framing, {
        width,
        height,
      });
      return this.cropper.crop(frame, crop);
    });
    const t2 = performance.now();
    result.timings.detectMs = t1 - t0;
    result.timings.cropMs = t2 - t1;
    return { result, detections, faces, state };
  }

  /** Match one frame's classified faces to its source's tracks, smooth, and mark the primary face. */
  private finish(found: FoundFaces, probabilities: Float32Array[], classifyMs: number): FrameResult {
    const { result, detections, state } = found;
    if (!state) return result;
    const t0 = performance.now();
    const { timestamp, width, height } = result;
    const ids = state.tracker.update(
      detections.map((d) => d.box),
      timestamp,
    );
    state.smoother.retain(state.tracker.active.map((t) => t.id));
    const primary = state.primary.update(
      detections.map((d, i) => ({ trackId: ids[i] as number, box: d.box })),
      { width, height },
      timestamp,
    );
    result.faces = detections.map((d, i): FaceResult => {
      const trackId = ids[i] as number;
      const smoothed = state.smoother.smooth(trackId, probabilities[i] ?? new Float32Array(7), timestamp);
      let best = 0;
      smoothed.forEach((p, j) => {
        if (p > (smoothed[best] as number)) best = j;
      });
      return {
        trackId,
        primary: primary[i] === true,
        box: d.box,
        keypoints: d.keypoints,
        probabilities: Array.from(smoothed),
        dominant: FER_CLASSES[best] as string,
        confidence: smoothed[best] as number,
      };
    });
    const { detectMs, cropMs } = result.timings;
    result.timings = {
      detectMs,
      cropMs,
      classifyMs,
      totalMs: detectMs + cropMs + classifyMs + (performance.now() - t0),
    };
    return result;
  }

  /** A source (video) went away: drop its tracks. */
  forgetSource(sourceId: string): void {
    this.sources.delete(sourceId);
  }
}
