/**
 * Takes a frame from a <video> as a JPEG data URL (the runtime-message path, see transport.ts),
 * scaled so its longer side is at most `maxSide`. A video the page cannot read (cross-origin
 * without CORS, DRM) throws a FrameUnreadable error instead of reaching the page console. Whether
 * a frame is all black is judged by the engine (src/engine/black-frame.ts), off the page's thread.
 */
export type UnreadableKind = 'not-ready' | 'cross-origin' | 'black';

export class FrameUnreadable extends Error {
  override name = 'FrameUnreadable';
  constructor(
    message: string,
    readonly kind: UnreadableKind = 'not-ready',
  ) {
    super(message);
  }
}

/** The size a frame is sent at: the video's own, scaled so its longer side is at most `maxSide`. */
export function frameSize(video: HTMLVideoElement, maxSide: number): { width: number; height: number } {
  const w = video.videoWidth;
  const h = video.videoHeight;
  if (w === 0 || h === 0 || video.readyState < 2) throw new FrameUnreadable('the video has no frame yet');
  const scale = Math.min(1, maxSide / Math.max(w, h));
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

/** Runs the synchronous slices of the capture (the page's main-thread cost is counted there). */
interface Clock {
  run<T>(fn: () => T): T;
}
const unclocked: Clock = { run: (fn) => fn() };

export async function captureFrame(
  video: HTMLVideoElement,
  maxSide = 640,
  quality = 0.85,
  clock: Clock = unclocked,
): Promise<string> {
  let blob: Blob;
  try {
    blob = await clock.run(() => {
      const { width, height } = frameSize(video, maxSide);
      const canvas = new OffscreenCanvas(width, height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new FrameUnreadable('no 2D canvas in this page');
      ctx.drawImage(video, 0, 0, width, height);
      // a canvas tainted by a cross-origin video refuses to encode
      return canvas.convertToBlob({ type: 'image/jpeg', quality });
    });
  } catch (error) {
    if (error instanceof FrameUnreadable) throw error;
    throw new FrameUnreadable(
      'the page does not allow reading this video (cross-origin without CORS, or protected)',
      'cross-origin',
    );
  }
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      clock.run(() =>
        typeof reader.result === 'string'
          ? resolve(reader.result)
          : reject(new FrameUnreadable('the frame could not be encoded')),
      );
    reader.onerror = () => reject(new FrameUnreadable('the frame could not be encoded'));
    clock.run(() => reader.readAsDataURL(blob));
  });
}
