import { useEffect, useState } from 'preact/hooks';
import type { SessionMeta } from '../shared/session';
import { dateTime } from '../ui/format';
import { SessionReport } from '../ui/SessionReport';
import type { ExtensionClient } from '../ui/client';

/**
 * The tab's running session, else the latest one, with its timelines and summary; a short history
 * below, and the way to the full report, history and settings.
 */
export function RecentSessions({ client, tabId }: { client: ExtensionClient; tabId: number | undefined }) {
  const [sessions, setSessions] = useState<SessionMeta[] | undefined>();
  const [current, setCurrent] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let alive = true;
    const load = async () => {
      try {
        const [list, live] = await Promise.all([
          client.listSessions(),
          tabId === undefined ? undefined : client.live(tabId),
        ]);
        if (!alive) return;
        setSessions(list);
        // the tab's running session, else the one chosen, else the tab's last one, else the newest
        setCurrent((c) => live?.sessionId ?? c ?? live?.lastSessionId ?? list[0]?.id);
      } catch (e) {
        if (alive) setError(e instanceof Error ? e.message : String(e));
      }
    };
    void load();
    const timer = setInterval(() => void load(), 3000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [client, tabId]);

  if (error)
    return (
      <p class="message error" role="alert">
        The sessions could not be read: {error}
      </p>
    );
  if (!sessions) return null;
  return (
    <section class="sessions" aria-label="Sessions">
      {current ? (
        <SessionReport
          client={client}
          sessionId={current}
          width={300}
          rowHeight={40}
          actions={
            <button type="button" data-testid="open-report" onClick={() => void client.openReport(current)}>
              Open report
            </button>
          }
        />
      ) : (
        <p class="message" data-testid="no-sessions">
          No sessions yet. Switch analysis on during a call; its timeline and summary appear here.
        </p>
      )}
      {sessions.length > 1 && (
        <nav aria-label="Recent sessions" class="recent">
          <h2>Recent</h2>
          <ul>
            {sessions.slice(0, 5).map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  class="link"
                  aria-current={s.id === current ? 'true' : undefined}
                  onClick={() => setCurrent(s.id)}
                >
                  {s.title || s.origin} — {dateTime(s.startedAt)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <p>
        <button
          type="button"
          class="link"
          data-testid="open-history"
          onClick={() => void client.openReport()}
        >
          All sessions and settings
        </button>
      </p>
    </section>
  );
}
