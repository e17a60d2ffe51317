import { cropTransform, type Crop } from './crop-geometry';
import { FACE_SIZE } from './fer/preprocess';

/**
 * Cuts the faces out of a frame: each crop drawn with its similarity transform onto a 48x48
 * canvas, then converted to grey with the BT.601 luma weights (what FER2013's greyscale pictures
 * use). Outside the frame is black.
 */
export type FrameSource =
  ImageBitmap | OffscreenCanvas | HTMLCanvasElement | HTMLImageElement | HTMLVideoElement | VideoFrame;

export function toGrey(rgba: Uint8ClampedArray): Uint8Array {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0, j = 0; j < out.length; i += 4, j++) {
    out[j] = Math.round(
      0.299 * (rgba[i] as number) + 0.587 * (rgba[i + 1] as number) + 0.114 * (rgba[i + 2] as number),
    );
  }
  return out;
}

export class FaceCropper {
  private readonly canvas = new OffscreenCanvas(FACE_SIZE, FACE_SIZE);
  private readonly ctx: OffscreenCanvasRenderingContext2D;

  constructor() {
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('OffscreenCanvas 2D is not available: MoodLens cannot crop faces here');
    this.ctx = ctx;
  }

  crop(source: FrameSource, crop: Crop): Uint8Array {
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, FACE_SIZE, FACE_SIZE);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.setTransform(...cropTransform(crop, FACE_SIZE));
    ctx.drawImage(source, 0, 0);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    return toGrey(ctx.getImageData(0, 0, FACE_SIZE, FACE_SIZE).data);
  }
}
