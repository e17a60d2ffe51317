/**
 * One session: a timeline per participant, the summary, renaming and export. The popup shows it
 * small; the report page shows it large. Reloads every `refreshMs` while the session runs.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ExtensionClient } from './client';
import { exportFileName, sessionToCsv, sessionToJson } from '../shared/export';
import type { SessionData } from '../shared/session';
import type { CallSummary } from '../shared/summary';
import { dateTime, duration } from './format';
import { download } from './download';
import { ParticipantName } from './ParticipantName';
import { SessionOverview, type TimeWindow } from './SessionOverview';
import { ShareButtons } from './ShareButtons';
import { SummaryTable, SummaryView } from './SummaryView';
import { EmotionLegend, Timeline } from './Timeline';

export interface SessionReportProps {
  client: ExtensionClient;
  sessionId: string;
  width: number;
  rowHeight: number;
  refreshMs?: number;
  /** Shown under the title (the report page adds its own buttons here). */
  actions?: preact.ComponentChildren;
  /** Offer saving the report as HTML, its timelines as pictures, and printing (the report page). */
  share?: boolean;
}

export function SessionReport({
  client,
  sessionId,
  width,
  rowHeight,
  refreshMs = 3000,
  actions,
  share = false,
}: SessionReportProps) {
  const root = useRef<HTMLElement>(null);
  /** The report's zoom: the part of the session the timelines show. */
  const [zoom, setZoom] = useState<TimeWindow | undefined>();
  const [data, setData] = useState<SessionData | undefined | null>(undefined);
  // the summary the store keeps as samples come: not recomputed from the timelines
  const [summary, setSummary] = useState<CallSummary | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      Promise.all([client.getSession(sessionId), client.getSummaries([sessionId])])
        .then(([d, summaries]) => {
          if (!alive) return;
          setData(d ?? null);
          setSummary(summaries.get(sessionId));
          setError(undefined);
          if (d && d.meta.endedAt === undefined) timer = setTimeout(() => void load(), refreshMs);
        })
        .catch((e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)));
    void load();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [client, sessionId, refreshMs]);

  if (error)
    return (
      <p class="message error" role="alert">
        The session could not be read: {error}
      </p>
    );
  if (data === undefined) return <p class="message">Reading the session…</p>;
  if (data === null) return <p class="message">This session no longer exists (it was deleted).</p>;

  const { meta } = data;
  const end = meta.endedAt ?? Math.max(meta.startedAt + 1000, ...data.timelines.map((t) => t.t.at(-1) ?? 0));
  const names = new Map(meta.participants.map((p) => [p.id, p.name]));
  const rename = async (participantId: string, name: string) => {
    await client.renameParticipant(meta.id, participantId, name);
    setData(await client.getSession(meta.id));
    setSummary((await client.getSummaries([meta.id])).get(meta.id));
  };

  // a notable moment: the timelines zoom to the minute around it, and its participant's takes focus
  const showMoment = (participantId: string, t: number) => {
    const from = Math.max(meta.startedAt, t - 30_000);
    setZoom({ from, to: Math.min(end, from + 60_000) });
    const chart = root.current?.querySelector<SVGSVGElement>(
      `[data-testid="timeline"][data-participant="${CSS.escape(participantId)}"] svg`,
    );
    chart?.scrollIntoView({ block: 'center' });
    chart?.focus();
  };

  return (
    <section
      ref={root}
      class="session"
      data-testid="session"
      data-session={meta.id}
      aria-label={`Session ${meta.title}`}
    >
      <header>
        <h2>{meta.title || meta.origin || 'Untitled page'}</h2>
        <p class="muted">
          {meta.origin} · {dateTime(meta.startedAt)} · {duration(end - meta.startedAt)}
          {meta.endedAt === undefined ? ' · running' : ''} · {meta.participants.length} participant
          {meta.participants.length === 1 ? '' : 's'}
        </p>
        <div class="actions" data-share="omit">
          <button
            type="button"
            data-testid="export-csv"
            onClick={() => download(exportFileName(data, 'csv'), sessionToCsv(data), 'text/csv')}
          >
            Export CSV
          </button>
          <button
            type="button"
            data-testid="export-json"
            onClick={() => download(exportFileName(data, 'json'), sessionToJson(data), 'application/json')}
          >
            Export JSON
          </button>
          {actions}
        </div>
        {share && (
          <ShareButtons
            target={() => root.current}
            fileBase={exportFileName(data, 'json').replace(/\.json$/, '')}
            title={`MoodLens: ${meta.title || meta.origin || 'session'}, ${dateTime(meta.startedAt)}`}
          />
        )}
      </header>
      {data.timelines.every((t) => t.t.length === 0) ? (
        <p class="message">No face has been analysed in this session yet.</p>
      ) : (
        <>
          <EmotionLegend />
          {width >= 600 && (
            <SessionOverview
              data={data}
              names={names}
              start={meta.startedAt}
              end={end}
              view={zoom}
              onView={setZoom}
            />
          )}
          {data.timelines
            .filter((t) => t.t.length > 0)
            .map((t) => (
              <div class="participant" key={t.participantId}>
                <ParticipantName
                  name={names.get(t.participantId) ?? t.participantId}
                  onRename={(name) => rename(t.participantId, name)}
                />
                <Timeline
                  timeline={t}
                  name={names.get(t.participantId) ?? t.participantId}
                  start={meta.startedAt}
                  end={end}
                  zoom={zoom}
                  width={width}
                  height={rowHeight}
                />
              </div>
            ))}
          {summary && width >= 600 && <SummaryTable summary={summary} />}
          {summary && (
            <SummaryView
              summary={summary}
              start={meta.startedAt}
              onMoment={width >= 600 ? showMoment : undefined}
            />
          )}
        </>
      )}
    </section>
  );
}
