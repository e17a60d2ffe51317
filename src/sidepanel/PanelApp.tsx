/**
 * The live panel beside the call (Chrome's side panel, Firefox's sidebar). It follows the active
 * tab of its window (or the tab named by `?tab=`): the call's mood now, one row per participant
 * with a live strip, everyone at once, notable moments as they happen, and the session's summary
 * once it ends.
 */
import { useEffect, useState } from 'preact/hooks';
import type { TabStatus } from '../shared/protocol';
import type { Settings } from '../shared/settings';
import type { ExtensionClient } from '../ui/client';
import { describeTimeline } from '../ui/chart-text';
import { clock, percent, signed } from '../ui/format';
import { Overview, type OverviewRow } from '../ui/Overview';
import { SessionReport } from '../ui/SessionReport';
import { EmotionLegend } from '../ui/Timeline';
import { LiveRows } from './LiveRows';
import { useLiveSession } from './use-live-session';

const MOMENT = { surprise: 'surprise', happy: 'happy', negative: 'negative expressions' } as const;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function PanelApp({
  client,
  followActiveTab = true,
  panelSetting = false,
}: {
  client: ExtensionClient;
  /** Follow the window's active tab (false when the page was opened for one tab, `?tab=`). */
  followActiveTab?: boolean;
  /** Offer Chrome's "the toolbar button opens the panel" setting. */
  panelSetting?: boolean;
}) {
  const [tabId, setTabId] = useState<number | undefined>();
  const [status, setStatus] = useState<TabStatus | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    client
      .currentTabId()
      .then(setTabId)
      .catch((e: unknown) => setError(message(e)));
    return followActiveTab ? client.watchActiveTab(setTabId) : undefined;
  }, [client, followActiveTab]);

  useEffect(() => {
    if (tabId === undefined) return;
    let alive = true;
    const read = () =>
      client
        .getTabStatus(tabId)
        .then((s) => alive && (setStatus(s), setError(undefined)))
        .catch((e: unknown) => alive && setError(message(e)));
    void read();
    const unwatch = client.watchTab(tabId, () => void read());
    return () => {
      alive = false;
      unwatch();
    };
  }, [client, tabId]);

  const session = useLiveSession(client, tabId);
  const { live, meta, model } = session;
  const names = new Map(meta?.participants.map((p) => [p.id, p.name]));
  const ids = model.participants();
  const running = live?.sessionId !== undefined;
  const mood = model.moodNow();
  const start = meta?.startedAt ?? model.start ?? 0;
  const overview = model.overview(ids, 120);
  const rows: OverviewRow[] = ids.map((id, i) => {
    const name = names.get(id) ?? 'New participant';
    return {
      id,
      name,
      cells: overview.cells[i] ?? [],
      label: describeTimeline(model.bucketTimeline(id), name, 'session so far'),
    };
  });
  const rename = running
    ? async (id: string, name: string) => {
        if (!live.sessionId) return;
        await client.renameParticipant(live.sessionId, id, name);
        session.refreshMeta();
      }
    : undefined;

  return (
    <main class="panel" data-testid="panel" data-tab={tabId}>
      <header>
        <h1>MoodLens</h1>
        <p class="muted" data-testid="panel-status">
          {status === undefined
            ? 'Looking at this tab…'
            : !status.scriptable
              ? (status.reason ?? 'MoodLens cannot run on this page.')
              : status.enabled
                ? `Analysing this tab · ${live ? `${live.fps.toFixed(1)} frames/s · ` : ''}${ids.length} participant${ids.length === 1 ? '' : 's'}`
                : 'Analysis is off for this tab. Switch it on from the MoodLens toolbar button.'}
        </p>
      </header>
      {(error ?? session.error) && (
        <p class="message error" role="alert">
          {error ?? session.error}
        </p>
      )}
      {running && (
        <>
          <section class="mood-now" aria-label="The call now" data-testid="mood-now">
            {mood ? (
              <p>
                Mood now: <strong>{mood.mood}</strong>, mostly <strong>{mood.dominant}</strong> (valence{' '}
                {signed(mood.valence)}, {mood.participants} face{mood.participants === 1 ? '' : 's'}, last 30
                s)
              </p>
            ) : (
              <p class="muted">Waiting for the first faces…</p>
            )}
          </section>
          <EmotionLegend />
          <LiveRows model={model} ids={ids} names={names} onRename={rename} />
          {ids.length > 0 && <Overview rows={rows} span={overview.end - start} />}
          <section class="moments-now" aria-label="Notable moments">
            <h2>Notable moments</h2>
            <ol aria-live="polite" data-testid="moments" tabIndex={0}>
              {model.moments.length === 0 && <li class="muted">None yet.</li>}
              {model.moments.map((m) => (
                <li key={`${m.participantId}${m.kind}${m.t}`}>
                  {clock(m.t - start)} · {names.get(m.participantId) ?? 'New participant'} — {MOMENT[m.kind]}{' '}
                  {percent(m.p)}
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
      {!running && live?.lastSessionId && (
        <SessionReport client={client} sessionId={live.lastSessionId} width={300} rowHeight={32} />
      )}
      <footer class="panel-footer">
        <button
          type="button"
          data-testid="panel-report"
          onClick={() => void client.openReport(live?.sessionId ?? live?.lastSessionId)}
        >
          Open report
        </button>
        {panelSetting && <PanelSetting client={client} />}
      </footer>
    </main>
  );
}

/** Chrome: whether the toolbar button opens this panel instead of the popup. */
function PanelSetting({ client }: { client: ExtensionClient }) {
  const [settings, setSettings] = useState<Settings | undefined>();
  useEffect(() => {
    void client.getSettings().then(setSettings);
  }, [client]);
  if (!settings) return null;
  return (
    <label class="check">
      <input
        type="checkbox"
        data-testid="panel-on-action"
        checked={settings.openPanelOnAction}
        onChange={(e) =>
          void client.saveSettings({ openPanelOnAction: e.currentTarget.checked }).then(setSettings)
        }
      />
      The toolbar button opens this panel
    </label>
  );
}
