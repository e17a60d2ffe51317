import { useEffect, useState } from 'preact/hooks';
import type { ExtensionClient } from '../ui/client';
import type { SessionMeta } from '../shared/session';
import type { CallSummary } from '../shared/summary';
import { dateTime, duration, signed } from '../ui/format';

/** Past sessions, newest first, each with its summary line; open, delete one, delete all. */
export function History({ client, onOpen }: { client: ExtensionClient; onOpen: (id: string) => void }) {
  const [sessions, setSessions] = useState<SessionMeta[] | undefined>();
  const [summaries, setSummaries] = useState<Map<string, CallSummary>>(new Map());
  const [error, setError] = useState<string | undefined>();
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const run = { alive: true };
    const stopped = () => !run.alive;
    client
      .listSessions()
      .then(async (list) => {
        if (stopped()) return;
        setSessions(list);
        // the summaries the store keeps (no timeline is read), the newest 50
        const summaries = await client.getSummaries(list.slice(0, 50).map((s) => s.id));
        if (!stopped()) setSummaries(summaries);
      })
      .catch((e: unknown) => run.alive && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      run.alive = false;
    };
  }, [client, reload]);

  const remove = async (ids: string[] | 'all') => {
    const what = ids === 'all' ? 'every session' : 'this session';
    if (!confirm(`Delete ${what}? This cannot be undone.`)) return;
    try {
      await client.deleteSessions(ids);
      setReload((r) => r + 1);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  if (error)
    return (
      <p class="message error" role="alert">
        The sessions could not be read: {error}
      </p>
    );
  if (!sessions) return <p class="message">Reading the sessions…</p>;
  if (!sessions.length)
    return (
      <p class="message" data-testid="history-empty">
        No sessions yet. Switch analysis on from the toolbar button during a call.
      </p>
    );
  return (
    <section aria-label="Sessions" class="history">
      <table data-testid="history">
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col">Started</th>
            <th scope="col">Length</th>
            <th scope="col">People</th>
            <th scope="col">Mood</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => {
            const sum = summaries.get(s.id);
            return (
              <tr key={s.id} data-testid="history-row">
                <td>
                  <button type="button" class="link" onClick={() => onOpen(s.id)}>
                    {s.title || s.origin || 'Untitled page'}
                  </button>
                  <div class="muted">{s.origin}</div>
                </td>
                <td>{dateTime(s.startedAt)}</td>
                <td>{s.endedAt === undefined ? 'running' : duration(s.endedAt - s.startedAt)}</td>
                <td>{s.participants.length}</td>
                <td>
                  {sum
                    ? `${sum.mood}, mostly ${sum.dominant ?? '—'} (valence ${signed(sum.meanValence)})`
                    : '…'}
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`Delete ${s.title || 'session'}`}
                    onClick={() => void remove([s.id])}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p>
        <button type="button" data-testid="delete-all" onClick={() => void remove('all')}>
          Delete all sessions
        </button>
      </p>
    </section>
  );
}
