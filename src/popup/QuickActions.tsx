/**
 * The popup's way on: the live side panel, the report, and export of the tab's session (the one
 * running, else its last one, else the newest). The popup itself shows no timeline.
 */
import { useEffect, useState } from 'preact/hooks';
import { exportFileName, sessionToCsv, sessionToJson } from '../shared/export';
import type { LiveStats } from '../shared/protocol';
import type { ExtensionClient } from '../ui/client';
import { download } from '../ui/download';

export function QuickActions({
  client,
  tabId,
  live,
  onLive,
}: {
  client: ExtensionClient;
  tabId: number | undefined;
  /** The tab's live view, as the popup last read it (undefined while analysis is off). */
  live: LiveStats | undefined;
  onLive: (live: LiveStats) => void;
}) {
  const [newest, setNewest] = useState<string | null | undefined>();
  const [error, setError] = useState<string | undefined>();

  // analysis off: nothing polls the live view; read it once for the tab's last session
  useEffect(() => {
    if (tabId === undefined || live) return;
    client
      .live(tabId)
      .then(onLive)
      .catch(() => undefined);
  }, [client, tabId, live, onLive]);
  useEffect(() => {
    client
      .listSessions()
      .then((list) => setNewest(list[0]?.id ?? null))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [client]);

  const sessionId = live?.sessionId ?? live?.lastSessionId ?? newest ?? undefined;
  const exportAs = async (format: 'csv' | 'json') => {
    if (!sessionId) return;
    try {
      const data = await client.getSession(sessionId);
      if (!data) throw new Error('the session no longer exists');
      if (format === 'csv') download(exportFileName(data, 'csv'), sessionToCsv(data), 'text/csv');
      else download(exportFileName(data, 'json'), sessionToJson(data), 'application/json');
    } catch (e) {
      setError(`The session could not be exported: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <section class="quick" aria-label="More">
      {newest === null && !sessionId && (
        <p class="message" data-testid="no-sessions">
          No sessions yet. Switch analysis on during a call; follow it live in the side panel.
        </p>
      )}
      <div class="actions">
        <button
          type="button"
          class="primary"
          data-testid="open-panel"
          disabled={tabId === undefined}
          onClick={() => {
            if (tabId === undefined) return;
            // in the click itself: the browser opens the panel only in a user gesture
            client
              .openSidePanel(tabId)
              .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
          }}
        >
          Side panel
        </button>
        <button type="button" data-testid="open-report" onClick={() => void client.openReport(sessionId)}>
          {sessionId ? 'Report' : 'All sessions and settings'}
        </button>
        <button
          type="button"
          data-testid="export-csv"
          disabled={!sessionId}
          onClick={() => void exportAs('csv')}
        >
          Export CSV
        </button>
        <button
          type="button"
          data-testid="export-json"
          disabled={!sessionId}
          onClick={() => void exportAs('json')}
        >
          JSON
        </button>
      </div>
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
