/**
 * The text alternative of a chart (screen readers, and the tooltip): the shares of time in each
 * expression and the valence trend, from the same fold as the session summary.
 */
import type { Timeline } from '../shared/session';
import { summariseTimeline } from '../shared/summary';
import { EMOTIONS } from '../shared/emotions';
import { percent } from './format';

const TREND = { rising: 'valence rising', falling: 'valence falling', steady: 'valence steady' } as const;

/** "Ada, last 3 minutes: happy 60%, neutral 30%, sad 10%; valence rising." */
export function describeTimeline(tl: Timeline, name: string, span: string): string {
  if (tl.t.length === 0) return `${name}, ${span}: no face seen.`;
  const s = summariseTimeline(tl, name);
  const shares = EMOTIONS.map((e) => ({ e, v: s.shares[e] }))
    .filter((x) => x.v >= 0.005)
    .sort((a, b) => b.v - a.v)
    .slice(0, 3)
    .map((x) => `${x.e} ${percent(x.v)}`)
    .join(', ');
  return `${name}, ${span}: ${shares || 'no expression long enough to count'}; ${TREND[s.trend]}.`;
}
