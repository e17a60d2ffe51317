/**
 * The full-page report (the extension's options page): the history of sessions with their
 * summaries, one session at a time in full (?session=ID), and the settings (#settings).
 */
import { useEffect, useState } from 'preact/hooks';
import type { ExtensionClient } from '../ui/client';
import { History } from './History';
import { SettingsForm } from './SettingsForm';
import { SessionReport } from '../ui/SessionReport';

type Route = { view: 'history' } | { view: 'session'; id: string } | { view: 'settings' };

function routeOf(loc: Location): Route {
  const id = new URLSearchParams(loc.search).get('session');
  if (id) return { view: 'session', id };
  return loc.hash === '#settings' ? { view: 'settings' } : { view: 'history' };
}

export function ReportApp({
  client,
  location: loc = window.location,
}: {
  client: ExtensionClient;
  location?: Location;
}) {
  const [route, setRoute] = useState<Route>(() => routeOf(loc));
  useEffect(() => {
    const onPop = () => setRoute(routeOf(loc));
    window.addEventListener('popstate', onPop);
    window.addEventListener('hashchange', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('hashchange', onPop);
    };
  }, [loc]);
  const go = (r: Route) => {
    const url = r.view === 'session' ? `?session=${r.id}` : r.view === 'settings' ? '?#settings' : '?';
    history.pushState(null, '', url);
    setRoute(r);
  };

  return (
    <main class="report">
      <header class="report-header">
        <h1>MoodLens</h1>
        <nav aria-label="Sections">
          <button
            type="button"
            aria-current={route.view !== 'settings' ? 'page' : undefined}
            onClick={() => go({ view: 'history' })}
          >
            Sessions
          </button>
          <button
            type="button"
            data-testid="nav-settings"
            aria-current={route.view === 'settings' ? 'page' : undefined}
            onClick={() => go({ view: 'settings' })}
          >
            Settings
          </button>
        </nav>
        <p class="privacy">Everything here is stored in this browser only. Expressions are not feelings.</p>
      </header>
      {route.view === 'history' && <History client={client} onOpen={(id) => go({ view: 'session', id })} />}
      {route.view === 'session' && (
        <SessionReport
          client={client}
          sessionId={route.id}
          width={880}
          rowHeight={90}
          share
          actions={
            <>
              <button
                type="button"
                data-testid="delete-session"
                onClick={() => {
                  if (!confirm('Delete this session? This cannot be undone.')) return;
                  void client.deleteSessions([route.id]).then(() => go({ view: 'history' }));
                }}
              >
                Delete
              </button>
              <button type="button" onClick={() => go({ view: 'history' })}>
                All sessions
              </button>
            </>
          }
        />
      )}
      {route.view === 'settings' && <SettingsForm client={client} />}
    </main>
  );
}
