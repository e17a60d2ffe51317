/**
 * The overview of a stored session: each participant's samples in `columns` equal spans of
 * [start, end], each span the dominant expression of its mean (undefined where no sample fell:
 * a gap). Pure.
 */
import { dominantOf, EMOTIONS, type Emotion } from '../shared/emotions';
import type { Timeline } from '../shared/session';

export function overviewCells(
  tl: Timeline,
  start: number,
  end: number,
  columns: number,
): (Emotion | undefined)[] {
  const span = Math.max(1, end - start);
  const sums = Array.from({ length: columns }, () => new Array<number>(EMOTIONS.length + 1).fill(0));
  tl.t.forEach((t, i) => {
    const c = Math.floor(((t - start) / span) * columns);
    const sum = sums[Math.min(columns - 1, Math.max(0, c))];
    if (!sum || t < start || t > end) return;
    (tl.p[i] ?? []).forEach((v, k) => (sum[k] = (sum[k] ?? 0) + v));
    sum[EMOTIONS.length] = (sum[EMOTIONS.length] ?? 0) + 1;
  });
  return sums.map((s) => ((s[EMOTIONS.length] ?? 0) > 0 ? dominantOf(s).emotion : undefined));
}
