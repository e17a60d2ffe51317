/**
 * Everyone at once: one row per participant, time across, each cell coloured by the dominant
 * expression (blank where no face was seen). Rows get thinner for large calls (16 px up to 12
 * participants, 10 px beyond), so 9 and 25 people both fit without scrolling; each row has its
 * name and a text alternative (shares and trend of the session so far).
 */
import type { ComponentChildren } from 'preact';
import { EMOTION_COLOURS, type Emotion } from '../shared/emotions';
import { clock } from './format';

export interface OverviewRow {
  id: string;
  name: string;
  cells: (Emotion | undefined)[];
  /** What a screen reader hears for the row. */
  label: string;
}

export function rowHeightFor(participants: number): number {
  return participants <= 12 ? 16 : 10;
}

export function Overview({
  rows,
  span,
  children,
}: {
  rows: OverviewRow[];
  span: number;
  /** Drawn over the cells (the report's brush). */
  children?: ComponentChildren;
}) {
  const h = rowHeightFor(rows.length);
  return (
    <figure class="overview" data-testid="overview" data-rows={rows.length} style={{ '--row': `${h}px` }}>
      <figcaption>
        Everyone over the session <span class="muted">(0:00 – {clock(span)})</span>
      </figcaption>
      <div class="cells">
        <ul>
          {rows.map((r) => (
            <li key={r.id} data-testid="overview-row" data-participant={r.id}>
              <span class="oname" title={r.name}>
                {r.name}
              </span>
              <svg
                viewBox={`0 0 ${Math.max(1, r.cells.length)} 1`}
                preserveAspectRatio="none"
                width="100%"
                height={h}
                role="img"
                aria-label={r.label}
              >
                {r.cells.map((c, i) =>
                  c ? <rect key={i} x={i} y={0} width={1.02} height={1} fill={EMOTION_COLOURS[c]} /> : null,
                )}
              </svg>
            </li>
          ))}
        </ul>
        {children}
      </div>
    </figure>
  );
}
