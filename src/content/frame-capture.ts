/**
 * Takes a frame from a <video> as a JPEG data URL (the JSON message path), scaled so its longer
 * side is at most `maxSide`. A video the page cannot read (cross-origin without CORS, DRM) throws
 * a FrameUnreadable error instead of reaching the page console.
 */
export class FrameUnreadable extends Error {
  override name = 'FrameUnreadable';
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
    blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
  } catch {
    throw new FrameUnreadable('the page does not allow reading this video (cross-origin or protected)');
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
