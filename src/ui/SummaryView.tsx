/** The session summary as text and bars: the call's mood, then each participant. */
import { EMOTION_COLOURS, EMOTIONS } from '../shared/emotions';
import type { CallSummary, Moment, ParticipantSummary } from '../shared/summary';
import { clock, duration, percent, signed } from './format';

const TREND = { rising: 'rising ↗', falling: 'falling ↘', steady: 'steady →' } as const;
const MOMENT = { surprise: 'surprise', happy: 'happy', negative: 'negative emotions' } as const;

function Shares({ s }: { s: Pick<ParticipantSummary, 'shares'> }) {
  const top = EMOTIONS.map((e) => ({ e, v: s.shares[e] }))
    .filter((x) => x.v > 0)
    .sort((a, b) => b.v - a.v);
  return (
    <div class="shares">
      <div class="sharebar" aria-hidden="true">
        {top.map((x) => (
          <span key={x.e} style={{ width: `${x.v * 100}%`, background: EMOTION_COLOURS[x.e] }} />
        ))}
      </div>
      <p class="sharetext">
        {top
          .slice(0, 4)
          .map((x) => `${x.e} ${percent(x.v)}`)
          .join(' · ')}
      </p>
    </div>
  );
}

function Moments({
  moments,
  start,
  onMoment,
}: {
  moments: Moment[];
  start: number;
  onMoment: ((t: number) => void) | undefined;
}) {
  if (!moments.length) return <p class="muted">No notable moments.</p>;
  return (
    <ul class="moments">
      {moments.map((m) => {
        const text = `${clock(m.t - start)} — ${MOMENT[m.kind]} ${percent(m.p)}`;
        return (
          <li key={`${m.kind}${m.t}`}>
            {onMoment ? (
              <button type="button" class="link" data-testid="moment" onClick={() => onMoment(m.t)}>
                {text}
              </button>
            ) : (
              text
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** Every participant in one table: share of time per emotion, dominant, valence and trend. */
export function SummaryTable({ summary }: { summary: CallSummary }) {
  return (
    <table class="summary-table" data-testid="summary-table">
      <caption>Share of observed time in each expression, per participant</caption>
      <thead>
        <tr>
          <th scope="col">Participant</th>
          {EMOTIONS.map((e) => (
            <th scope="col" key={e}>
              {e}
            </th>
          ))}
          <th scope="col">Mostly</th>
          <th scope="col">Valence</th>
          <th scope="col">Trend</th>
        </tr>
      </thead>
      <tbody>
        {summary.participants.map((p) => (
          <tr key={p.participantId}>
            <th scope="row">{p.name}</th>
            {EMOTIONS.map((e) => (
              <td key={e}>{percent(p.shares[e])}</td>
            ))}
            <td>{p.dominant ?? '—'}</td>
            <td>{signed(p.meanValence)}</td>
            <td>{TREND[p.trend]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SummaryView({
  summary,
  start,
  names,
  onMoment,
}: {
  summary: CallSummary;
  start: number;
  names?: boolean;
  /** Shows a notable moment in its participant's timeline (the report page). */
  onMoment?: (participantId: string, t: number) => void;
}) {
  return (
    <section class="summary" data-testid="summary" aria-label="Session summary">
      <p class="mood" data-testid="call-mood">
        Mood of the call: <strong>{summary.mood}</strong> (valence {signed(summary.meanValence)}); mostly{' '}
        <strong>{summary.dominant ?? 'no faces seen'}</strong> over {duration(summary.durationMs)}.
      </p>
      <Shares s={summary} />
      {summary.participants.map((p) => (
        <article key={p.participantId} class="participant-summary" data-testid="participant-summary">
          <h3>{names === false ? null : p.name}</h3>
          <p>
            Mostly <strong>{p.dominant ?? '—'}</strong>; valence {signed(p.meanValence)}, {TREND[p.trend]} (
            {signed(p.valenceSlopePerMin, 3)} per minute); {duration(p.observedMs)} observed.
          </p>
          <Shares s={p} />
          <Moments
            moments={p.moments}
            start={start}
            onMoment={onMoment && ((t) => onMoment(p.participantId, t))}
          />
        </article>
      ))}
    </section>
  );
}
