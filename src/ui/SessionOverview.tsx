/**
 * A stored session at a glance (the report page): everyone over the whole session, and a brush
 * to zoom the timelines below to a part of it: drag over the overview, or set From and To with
 * the two sliders (keyboard: arrow keys, Page Up / Page Down); "Whole session" resets.
 */
import { useRef, useState } from 'preact/hooks';
import type { SessionData } from '../shared/session';
import { describeTimeline } from './chart-text';
import { clock } from './format';
import { Overview, type OverviewRow } from './Overview';
import { overviewCells } from './overview-cells';

export interface TimeWindow {
  from: number;
  to: number;
}

/** The shortest window the brush makes (a click, not a drag, zooms to this around the point). */
const MIN_WINDOW_MS = 10_000;

export function SessionOverview({
  data,
  names,
  start,
  end,
  view,
  onView,
  columns = 240,
}: {
  data: SessionData;
  names: Map<string, string>;
  start: number;
  end: number;
  view: TimeWindow | undefined;
  onView: (view: TimeWindow | undefined) => void;
  columns?: number;
}) {
  const layer = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<number | undefined>();
  const span = Math.max(1, end - start);
  const timeAt = (clientX: number) => {
    const rect = layer.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return start;
    return start + Math.min(1, Math.max(0, (clientX - rect.left) / rect.width)) * span;
  };
  const windowOf = (a: number, b: number): TimeWindow => {
    let from = Math.min(a, b);
    let to = Math.max(a, b);
    if (to - from < MIN_WINDOW_MS) {
      const mid = (from + to) / 2;
      from = Math.max(start, mid - MIN_WINDOW_MS / 2);
      to = Math.min(end, from + MIN_WINDOW_MS);
    }
    return { from, to };
  };
  const rows: OverviewRow[] = data.timelines
    .filter((tl) => tl.t.length > 0)
    .map((tl) => {
      const name = names.get(tl.participantId) ?? tl.participantId;
      return {
        id: tl.participantId,
        name,
        cells: overviewCells(tl, start, end, columns),
        label: describeTimeline(tl, name, 'whole session'),
      };
    });
  const shown = view ?? { from: start, to: end };
  const seconds = Math.round(span / 1000);
  const setEdge = (edge: 'from' | 'to', s: number) => {
    const t = start + s * 1000;
    const next =
      edge === 'from'
        ? { from: Math.min(t, shown.to - 1000), to: shown.to }
        : { from: shown.from, to: Math.max(t, shown.from + 1000) };
    onView(next.from <= start && next.to >= end ? undefined : next);
  };
  return (
    <section
      class="session-overview"
      aria-label="Everyone over the session, and zoom"
      data-testid="session-overview"
    >
      <Overview rows={rows} span={span}>
        {view && (
          <div
            class="brush-window"
            data-testid="brush-window"
            style={{
              left: `calc(var(--names) + var(--names-gap) + (100% - var(--names) - var(--names-gap)) * ${(view.from - start) / span})`,
              width: `calc((100% - var(--names) - var(--names-gap)) * ${(view.to - view.from) / span})`,
            }}
          />
        )}
        <div
          ref={layer}
          class="brush-layer"
          data-testid="brush"
          aria-hidden="true"
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture(e.pointerId);
            setDrag(timeAt(e.clientX));
          }}
          onPointerMove={(e) => {
            if (drag !== undefined) onView(windowOf(drag, timeAt(e.clientX)));
          }}
          onPointerUp={(e) => {
            if (drag !== undefined) onView(windowOf(drag, timeAt(e.clientX)));
            setDrag(undefined);
          }}
        />
      </Overview>
      <div class="zoom" data-share="omit">
        <label>
          From{' '}
          <input
            type="range"
            data-testid="zoom-from"
            min={0}
            max={seconds}
            value={Math.round((shown.from - start) / 1000)}
            aria-valuetext={clock(shown.from - start)}
            onInput={(e) => setEdge('from', Number(e.currentTarget.value))}
          />
        </label>
        <label>
          To{' '}
          <input
            type="range"
            data-testid="zoom-to"
            min={0}
            max={seconds}
            value={Math.round((shown.to - start) / 1000)}
            aria-valuetext={clock(shown.to - start)}
            onInput={(e) => setEdge('to', Number(e.currentTarget.value))}
          />
        </label>
        <span data-testid="zoom-text">
          {view
            ? `Timelines from ${clock(view.from - start)} to ${clock(view.to - start)}`
            : 'Timelines: the whole session'}
        </span>
        <button type="button" data-testid="zoom-reset" disabled={!view} onClick={() => onView(undefined)}>
          Whole session
        </button>
      </div>
    </section>
  );
}
