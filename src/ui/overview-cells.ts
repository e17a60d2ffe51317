/**
 * The overview of a stored session: each participant's samples in `columns` equal spans of
 * [start, end], each span the dominant expression of the samples that cover it, undefined where
 * none does (a gap), weighted by how long each covers it. A sample covers the time until the next one, at most MAX_SAMPLE_SPAN_MS (as
 * in the summary's shares), so a span shorter than the sampling interval is not shown as a gap.
 * Pure.
 */
import { dominantOf, EMOTIONS, type Emotion } from '../shared/emotions';
import type { Timeline } from '../shared/session';
import { MAX_SAMPLE_SPAN_MS } from '../shared/summary';

/** What the newest sample covers (no next one tells). */
const LAST_SAMPLE_MS = 1000;

export function overviewCells(
  tl: Timeline,
  start: number,
  end: number,
  columns: number,
): (Emotion | undefined)[] {
  const width = Math.max(1, end - start) / columns;
  const sums = Array.from({ length: columns }, () => new Array<number>(EMOTIONS.length + 1).fill(0));
  tl.t.forEach((t, i) => {
    const next = tl.t[i + 1];
    const until = t + Math.min(MAX_SAMPLE_SPAN_MS, next === undefined ? LAST_SAMPLE_MS : next - t);
    if (until < start || t > end) return;
    const first = Math.max(0, Math.floor((t - start) / width));
    const last = Math.min(columns - 1, Math.max(first, Math.ceil((until - start) / width) - 1));
    for (let c = first; c <= last; c++) {
      const sum = sums[c];
      if (!sum) continue;
      // weighted by the time the sample covers in the span
      const cover = Math.min(until, start + (c + 1) * width) - Math.max(t, start + c * width);
      if (cover <= 0) continue;
      (tl.p[i] ?? []).forEach((v, k) => (sum[k] = (sum[k] ?? 0) + v * cover));
      sum[EMOTIONS.length] = (sum[EMOTIONS.length] ?? 0) + cover;
    }
  });
  return sums.map((s) => ((s[EMOTIONS.length] ?? 0) > 0 ? dominantOf(s).emotion : undefined));
}
