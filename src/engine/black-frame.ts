/** Side of the thumbnail the black test looks at: enough to tell a picture from a black frame. */
const BLACK_PROBE = 24;
let blackProbe: OffscreenCanvasRenderingContext2D | null | undefined;

/**
 * Is the frame all black (every channel of a small thumbnail at most 12)? A protected video often
 * plays as black; the test runs in the engine, not in the page, so it costs the page nothing.
 */
export function isBlack(bitmap: ImageBitmap): boolean {
  blackProbe ??= new OffscreenCanvas(BLACK_PROBE, BLACK_PROBE).getContext('2d', { willReadFrequently: true });
  if (!blackProbe) return false;
  blackProbe.drawImage(bitmap, 0, 0, BLACK_PROBE, BLACK_PROBE);
  const { data } = blackProbe.getImageData(0, 0, BLACK_PROBE, BLACK_PROBE);
  for (let i = 0; i < data.length; i += 4) {
    if ((data[i] as number) > 12 || (data[i + 1] as number) > 12 || (data[i + 2] as number) > 12)
      return false;
  }
  return true;
}
