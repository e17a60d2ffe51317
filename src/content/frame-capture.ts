/**
 * Takes a frame from a <video> as a JPEG data URL (the JSON message path), scaled so its longer
 * side is at most `maxSide`. A video the page cannot read (cross-origin without CORS, DRM) throws
 * a FrameUnreadable error instead of reaching the page console.
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

/** Is the drawn frame all black (a protected video often plays as black)? Throws when tainted. */
function isBlack(ctx: OffscreenCanvasRenderingContext2D, width: number, height: number): boolean {
  const { data } = ctx.getImageData(0, 0, width, height);
  // every 7th pixel is enough to tell a black frame from a picture
  for (let i = 0; i < data.length; i += 28) {
    if ((data[i] as number) > 12 || (data[i + 1] as number) > 12 || (data[i + 2] as number) > 12)
      return false;
  }
  return true;
}

export async function captureFrame(video: HTMLVideoElement, maxSide = 640, quality = 0.85): Promise<string> {
  const w = video.videoWidth;
  const h = video.videoHeight;
  if (w === 0 || h === 0 || video.readyState < 2) throw new FrameUnreadable('the video has no frame yet');
  const scale = Math.min(1, maxSide / Math.max(w, h));
  const canvas = new OffscreenCanvas(Math.round(w * scale), Math.round(h * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new FrameUnreadable('no 2D canvas in this page');
  ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
  let blob: Blob;
  try {
    if (isBlack(ctx, canvas.width, canvas.height))
      throw new FrameUnreadable('the video shows only black', 'black');
    blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
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
      typeof reader.result === 'string'
        ? resolve(reader.result)
        : reject(new FrameUnreadable('the frame could not be encoded'));
    reader.onerror = () => reject(new FrameUnreadable('the frame could not be encoded'));
    reader.readAsDataURL(blob);
  });
}
