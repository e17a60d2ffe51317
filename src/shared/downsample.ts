/**
 * Downsampling of a timeline: samples are grouped into buckets of `bucketMs` (aligned to the
 * epoch, so repeated downsampling is stable) and each bucket becomes one sample at the mean time
 * with the mean probabilities. Buckets with one sample keep it as it is.
 */
export function downsample(
  t: ArrayLike<number>,
  p: ArrayLike<number>,
  bucketMs: number,
  width = 7,
): { t: number[]; p: number[] } {
  const outT: number[] = [];
  const outP: number[] = [];
  let i = 0;
  while (i < t.length) {
    const bucket = Math.floor((t[i] as number) / bucketMs);
    let j = i;
    const sum = new Array<number>(width).fill(0);
    let tSum = 0;
    while (j < t.length && Math.floor((t[j] as number) / bucketMs) === bucket) {
      tSum += t[j] as number;
      for (let k = 0; k < width; k++) sum[k] = (sum[k] as number) + (p[j * width + k] as number);
      j++;
    }
    const n = j - i;
    outT.push(n === 1 ? (t[i] as number) : tSum / n);
    for (let k = 0; k < width; k++) outP.push((sum[k] as number) / n);
    i = j;
  }
  return { t: outT, p: outP };
}
