/**
 * The pure part of `npm run soak`: growth per minute from the samples (least squares) and the
 * printed table.
 */

/** One sample of every measure, `minute` minutes after the engine's first result. */
export interface SoakSample {
  minute: number;
  /** Measure name (with its unit) → value. */
  values: Record<string, number>;
}

export interface GrowthRow {
  name: string;
  atWarmup: number;
  atEnd: number;
  /** Least-squares slope over the samples from the end of the warm-up on, per minute. */
  perMinute: number;
}

/** The least-squares slope of y over x; NaN with fewer than two distinct x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return NaN;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i] as number;
    sy += ys[i] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    sxy += dx * ((ys[i] as number) - my);
    sxx += dx * dx;
  }
  return sxx === 0 ? NaN : sxy / sxx;
}

/**
 * One row per measure: its value at the end of the warm-up (the first sample at or after
 * `warmupMinutes`), at the end (the last sample), and its growth per minute after the warm-up. A
 * measure missing from a sample is left out of that sample's points.
 */
export function growthRows(samples: readonly SoakSample[], warmupMinutes: number): GrowthRow[] {
  const after = samples.filter((s) => s.minute >= warmupMinutes);
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.values)))];
  return names.map((name) => {
    const points = after.filter((s) => Number.isFinite(s.values[name]));
    const ys = points.map((s) => s.values[name] as number);
    return {
      name,
      atWarmup: ys[0] ?? NaN,
      atEnd: ys[ys.length - 1] ?? NaN,
      perMinute: slope(
        points.map((s) => s.minute),
        ys,
      ),
    };
  });
}

const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const signed = (x: number, digits: number) => (x > 0 ? '+' : '') + fixed(x, digits);

/** The growth table as aligned text (Markdown-compatible), values with `digits` decimals. */
export function formatGrowthTable(rows: readonly GrowthRow[], warmupMinutes: number, digits = 1): string {
  const header = ['measure', `at ${warmupMinutes} min (warm-up end)`, 'at end', 'growth per minute'];
  const body = rows.map((r) => [
    r.name,
    fixed(r.atWarmup, digits),
    fixed(r.atEnd, digits),
    signed(r.perMinute, digits + 2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** Frames the content script sampled (and faces in them) against the samples the session stored. */
export function formatFrames(counts: { frames: number; faces: number; recorded: number }): string {
  const missing = counts.faces - counts.recorded;
  return (
    `frames sampled: ${counts.frames} (faces found in them: ${counts.faces}); ` +
    `samples recorded in the session: ${counts.recorded}` +
    (missing > 0 ? ` (${missing} fewer than faces found)` : ' (every face of every sampled frame recorded)')
  );
}
