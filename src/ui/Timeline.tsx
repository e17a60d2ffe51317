/**
 * One participant's emotions over time, in plain SVG: the seven probabilities stacked (each band
 * named in the legend and the read-out, so colour is never the only cue) and the valence as a
 * line. Pointer or arrow keys move a cursor; the read-out below gives the exact values and time.
 * The chart starts at the participant's first sample (no empty band before the first face) and
 * leaves gaps blank: where no face was seen for longer than a sample stands for, nothing is drawn.
 */
import { useMemo, useState } from 'preact/hooks';
import { downsample } from '../shared/downsample';
import { EMOTION_COLOURS, EMOTIONS, valenceOf } from '../shared/emotions';
import { MAX_SAMPLE_SPAN_MS } from '../shared/summary';
import type { Timeline as TimelineData } from '../shared/session';
import { describeTimeline } from './chart-text';
import { clock, percent, signed } from './format';

export interface TimelineProps {
  timeline: TimelineData;
  name: string;
  /** The session's start: times are read out from it. The chart itself starts at the first sample. */
  start: number;
  end: number;
  /** A part of the session to show (the report's zoom); the whole participant's span when absent. */
  zoom?: { from: number; to: number } | undefined;
  width: number;
  height: number;
}

interface Point {
  t: number;
  p: number[];
}

/** At most one point per pixel column: longer timelines are averaged into buckets. */
function displayPoints(tl: TimelineData, start: number, end: number, width: number): Point[] {
  const bucket = Math.max(1, (end - start) / width);
  if (tl.t.length <= width) return tl.t.map((t, i) => ({ t, p: tl.p[i] ?? [] }));
  const d = downsample(tl.t, tl.p.flat(), bucket);
  return d.t.map((t, i) => ({ t, p: d.p.slice(i * 7, i * 7 + 7) }));
}

/** Runs of points without a gap longer than MAX_SAMPLE_SPAN_MS (a gap is not drawn over). */
function runs(points: Point[], gapMs: number): Point[][] {
  const out: Point[][] = [];
  let run: Point[] = [];
  for (const pt of points) {
    const last = run.at(-1);
    if (last && pt.t - last.t > gapMs) {
      out.push(run);
      run = [];
    }
    run.push(pt);
  }
  if (run.length) out.push(run);
  return out;
}

/** The samples of [from, to]. */
function inWindow(tl: TimelineData, from: number, to: number): TimelineData {
  const t: number[] = [];
  const p: number[][] = [];
  tl.t.forEach((x, i) => {
    if (x < from || x > to) return;
    t.push(x);
    p.push(tl.p[i] ?? []);
  });
  return { participantId: tl.participantId, t, p };
}

export function Timeline({
  timeline: whole,
  name,
  start: origin,
  end: sessionEnd,
  zoom,
  width,
  height,
}: TimelineProps) {
  const timeline = useMemo(() => (zoom ? inWindow(whole, zoom.from, zoom.to) : whole), [whole, zoom]);
  const end = zoom?.to ?? sessionEnd;
  const start = zoom?.from ?? Math.min(end - 1, timeline.t[0] ?? origin);
  const span = Math.max(1, end - start);
  const x = (t: number) => ((t - start) / span) * width;
  const points = useMemo(() => displayPoints(timeline, start, end, width), [timeline, start, end, width]);
  const [cursor, setCursor] = useState<number | undefined>();

  const bands = useMemo(() => {
    const paths: string[] = EMOTIONS.map(() => '');
    const gap = Math.max(MAX_SAMPLE_SPAN_MS, (span / width) * 2);
    for (const run of runs(points, gap)) {
      // a lone sample is drawn as a short block
      const pts =
        run.length === 1
          ? [run[0] as Point, { ...(run[0] as Point), t: (run[0] as Point).t + span / width }]
          : run;
      const lower = pts.map(() => 0);
      EMOTIONS.forEach((_, k) => {
        const upper = pts.map((pt, i) => (lower[i] as number) + (pt.p[k] ?? 0));
        const top = pts.map(
          (pt, i) => `${x(pt.t).toFixed(1)},${(height - (upper[i] as number) * height).toFixed(1)}`,
        );
        const bottom = pts
          .map((pt, i) => `${x(pt.t).toFixed(1)},${(height - (lower[i] as number) * height).toFixed(1)}`)
          .reverse();
        paths[k] = `${paths[k] ?? ''}M${top.join('L')}L${bottom.join('L')}Z`;
        upper.forEach((u, i) => (lower[i] = u));
      });
    }
    return paths;
  }, [points, height, span, width]);

  const valence = useMemo(
    () =>
      runs(points, Math.max(MAX_SAMPLE_SPAN_MS, (span / width) * 2))
        .map(
          (run) =>
            `M${run.map((pt) => `${x(pt.t).toFixed(1)},${((1 - (valenceOf(pt.p) + 1) / 2) * height).toFixed(1)}`).join('L')}`,
        )
        .join(''),
    [points, height, span, width],
  );

  const selected = cursor === undefined ? undefined : points[cursor];
  const pick = (clientX: number, rect: DOMRect) => {
    const t = start + ((clientX - rect.left) / rect.width) * span;
    let best = 0;
    points.forEach((pt, i) => {
      if (Math.abs(pt.t - t) < Math.abs((points[best]?.t ?? 0) - t)) best = i;
    });
    setCursor(points.length ? best : undefined);
  };

  return (
    <figure
      class="timeline"
      data-testid="timeline"
      data-participant={whole.participantId}
      data-name={name}
      data-points={whole.t.length}
      data-shown={timeline.t.length}
    >
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="img"
        // lower case: an SVG element takes its attributes as written, and only `tabindex` makes it focusable
        tabindex={0}
        aria-label={`${describeTimeline(timeline, name, `from ${clock(start - origin)} to ${clock(end - origin)}`)} ${timeline.t.length} samples. Use the arrow keys to read values.`}
        onPointerMove={(e) => pick(e.clientX, e.currentTarget.getBoundingClientRect())}
        onPointerLeave={() => setCursor(undefined)}
        onKeyDown={(e) => {
          if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
          e.preventDefault();
          const step = e.key === 'ArrowRight' ? 1 : -1;
          setCursor((c) =>
            Math.min(points.length - 1, Math.max(0, (c ?? (step > 0 ? -1 : points.length)) + step)),
          );
        }}
      >
        {EMOTIONS.map((e, k) => (
          <path key={e} d={bands[k]} fill={EMOTION_COLOURS[e]} class={`band band-${e}`}>
            <title>{e}</title>
          </path>
        ))}
        <line x1={0} x2={width} y1={height / 2} y2={height / 2} class="zero" />
        <path d={valence} class="valence" fill="none" />
        {selected && <line x1={x(selected.t)} x2={x(selected.t)} y1={0} y2={height} class="cursor" />}
      </svg>
      <p class="readout" aria-live="polite" data-testid="timeline-readout">
        {selected
          ? `${clock(selected.t - origin)}: ${EMOTIONS.map((e, k) => ({ e, p: selected.p[k] ?? 0 }))
              .sort((a, b) => b.p - a.p)
              .slice(0, 3)
              .map((v) => `${v.e} ${percent(v.p)}`)
              .join(', ')}; valence ${signed(valenceOf(selected.p))}`
          : '\u00a0'}
      </p>
    </figure>
  );
}

/** The legend shared by all timelines of a view: each colour with its emotion's name. */
export function EmotionLegend() {
  return (
    <ul class="legend" aria-label="Emotion colours">
      {EMOTIONS.map((e) => (
        <li key={e}>
          <span class="swatch" style={{ background: EMOTION_COLOURS[e] }} aria-hidden="true" />
          {e}
        </li>
      ))}
      <li>
        <span class="swatch valence-swatch" aria-hidden="true" />
        valence (line)
      </li>
    </ul>
  );
}
