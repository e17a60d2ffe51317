/**
 * A participant's last few minutes as a strip: each run of samples with the same dominant
 * expression one block of its colour, nothing where no face was seen (a gap). The strip keeps its
 * size whatever the data, so rows do not move while samples arrive; its text alternative names
 * the shares and the trend.
 */
import { dominantOf, EMOTION_COLOURS, type Emotion } from '../shared/emotions';
import type { Timeline } from '../shared/session';
import { MAX_SAMPLE_SPAN_MS } from '../shared/summary';
import { describeTimeline } from './chart-text';

export interface Block {
  from: number;
  to: number;
  emotion: Emotion;
}

/** Runs of one dominant expression; a sample stands until the next, at most MAX_SAMPLE_SPAN_MS. */
export function blocks(tl: Timeline, from: number, to: number): Block[] {
  const out: Block[] = [];
  tl.t.forEach((t, i) => {
    const next = tl.t[i + 1];
    const end = Math.min(to, next !== undefined && next - t <= MAX_SAMPLE_SPAN_MS ? next : t + 500);
    const start = Math.max(from, t);
    if (end <= start) return;
    const emotion = dominantOf(tl.p[i] ?? []).emotion;
    const last = out.at(-1);
    if (last && last.emotion === emotion && last.to >= start) last.to = end;
    else out.push({ from: start, to: end, emotion });
  });
  return out;
}

export function LiveStrip({
  timeline,
  name,
  from,
  to,
  width = 240,
  height = 14,
  span,
}: {
  timeline: Timeline;
  name: string;
  from: number;
  to: number;
  width?: number;
  height?: number;
  /** The span in words, for the text alternative ("last 3 minutes"). */
  span: string;
}) {
  const x = (t: number) => ((t - from) / Math.max(1, to - from)) * width;
  const label = describeTimeline(timeline, name, span);
  return (
    <svg
      class="strip"
      data-testid="live-strip"
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      height={height}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
    >
      <title>{label}</title>
      <rect class="strip-bg" x={0} y={0} width={width} height={height} />
      {blocks(timeline, from, to).map((b) => (
        <rect
          key={b.from}
          x={x(b.from)}
          y={0}
          width={Math.max(0.5, x(b.to) - x(b.from))}
          height={height}
          fill={EMOTION_COLOURS[b.emotion]}
        />
      ))}
    </svg>
  );
}
