/**
 * Where to cut a face out of a frame so that it is framed as FER2013 faces are: a square, centred
 * and sized relative to the detector's box by a calibrated rule, and turned back only as far as a
 * head tilts beyond what FER2013's faces show. The result is a similarity transform from the 48x48
 * crop to frame pixels, which the cropper applies (canvas setTransform, or a texture lookup).
 */
import type { Box } from './tracking';

export interface Point {
  x: number;
  y: number;
}

/** How the detector's box maps to the FER framing (calibrated on FER2013 faces; see the engine notes). */
export interface FramingRule {
  /** Side of the crop square as a multiple of the box's mean side. */
  scale: number;
  /** Offset of the crop centre from the box centre, in box widths / heights (the crop's own axes). */
  offsetX: number;
  offsetY: number;
  /**
   * Head tilt (degrees, from the eye keypoints) left as it is: FER2013's faces are not levelled
   * and the classifier trains on them turned by up to this much, so only the tilt beyond it is
   * turned back.
   */
  freeTiltDegrees: number;
}

export interface Crop {
  centre: Point;
  /** Side of the square in frame pixels. */
  side: number;
  /** Rotation in radians of the crop's x axis in the frame (the head tilt beyond the free tilt). */
  angle: number;
  /** True when the square had to move to stay inside the frame. */
  shifted: boolean;
}

/** The rotation that makes the line from the subject's right eye to their left eye horizontal. */
export function eyeAngle(rightEye: Point, leftEye: Point): number {
  // The subject's right eye is on the image's left.
  return Math.atan2(leftEye.y - rightEye.y, leftEye.x - rightEye.x);
}

/** The rotation that turns a head tilted by `tilt` radians back to at most `freeDegrees`. */
export function tiltBeyond(tilt: number, freeDegrees: number): number {
  const free = (freeDegrees * Math.PI) / 180;
  return Math.sign(tilt) * Math.max(0, Math.abs(tilt) - free);
}

export function fitCrop(
  box: Box,
  eyes: { right: Point; left: Point } | undefined,
  rule: FramingRule,
  frame: { width: number; height: number },
): Crop {
  const angle = eyes ? tiltBeyond(eyeAngle(eyes.right, eyes.left), rule.freeTiltDegrees) : 0;
  const side = (rule.scale * (box.width + box.height)) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // the offset is expressed in the crop's own (turned) axes
  const ox = rule.offsetX * box.width;
  const oy = rule.offsetY * box.height;
  let cx = box.x + box.width / 2 + ox * cos - oy * sin;
  let cy = box.y + box.height / 2 + ox * sin + oy * cos;
  // keep the rotated square's bounding box inside the frame where it fits; else centre it on the frame
  const half = (side * (Math.abs(cos) + Math.abs(sin))) / 2;
  const clamp = (c: number, size: number) =>
    2 * half >= size ? size / 2 : Math.min(Math.max(c, half), size - half);
  const nx = clamp(cx, frame.width);
  const ny = clamp(cy, frame.height);
  const shifted = Math.abs(nx - cx) > 1e-9 || Math.abs(ny - cy) > 1e-9;
  cx = nx;
  cy = ny;
  return { centre: { x: cx, y: cy }, side, angle, shifted };
}

/**
 * The affine transform [a, b, c, d, e, f] (canvas setTransform order) that maps frame pixels into
 * an `out` x `out` crop: drawing the frame with it onto an out x out canvas yields the face.
 */
export function cropTransform(crop: Crop, out: number): [number, number, number, number, number, number] {
  const s = out / crop.side;
  const cos = Math.cos(-crop.angle) * s;
  const sin = Math.sin(-crop.angle) * s;
  // p' = R(-angle) * s * (p - centre) + out/2
  const e = out / 2 - (cos * crop.centre.x - sin * crop.centre.y);
  const f = out / 2 - (sin * crop.centre.x + cos * crop.centre.y);
  return [cos, sin, -sin, cos, e, f];
}

/** Maps a crop pixel back to frame pixels (for tests and debugging). */
export function cropToFrame(crop: Crop, out: number, p: Point): Point {
  const s = crop.side / out;
  const u = (p.x - out / 2) * s;
  const v = (p.y - out / 2) * s;
  return {
    x: crop.centre.x + u * Math.cos(crop.angle) - v * Math.sin(crop.angle),
    y: crop.centre.y + u * Math.sin(crop.angle) + v * Math.cos(crop.angle),
  };
}
