import { useCallback, useEffect, useState } from 'preact/hooks';
import type { EngineStatus, LiveStats, TabStatus } from '../shared/protocol';
import type { ExtensionClient } from '../ui/client';
import { EngineInfo } from './EngineInfo';
import { LiveView } from './LiveView';
import { QuickActions } from './QuickActions';
import { FirstRunNotice } from '../ui/FirstRunNotice';

type View = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; status: TabStatus };

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function App({ client }: { client: ExtensionClient }) {
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [tabId, setTabId] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);
  /** Why tab capture did not start (e.g. the permission was refused); the rest of the view stays. */
  const [captureError, setCaptureError] = useState<string | undefined>();
  const [acknowledged, setAcknowledged] = useState<boolean | undefined>();
  const [engine, setEngine] = useState<EngineStatus | undefined>();
  const [live, setLive] = useState<LiveStats | undefined>();

  useEffect(() => {
    client
      .noticeAcknowledged()
      .then(setAcknowledged)
      .catch(() => setAcknowledged(false));
  }, [client]);

  const refresh = useCallback(
    async (id: number) => {
      try {
        setView({ kind: 'ready', status: await client.getTabStatus(id) });
      } catch (error) {
        setView({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
      }
    },
    [client],
  );

  useEffect(() => {
    let unwatch: (() => void) | undefined;
    client
      .currentTabId()
      .then((id) => {
        setTabId(id);
        unwatch = client.watchTab(id, () => void refresh(id));
        return refresh(id);
      })
      .catch((error: unknown) =>
        setView({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
      );
    return () => unwatch?.();
  }, [client, refresh]);

  const toggle = async (enabled: boolean, capture?: boolean) => {
    if (tabId === undefined) return;
    setBusy(true);
    setCaptureError(undefined);
    try {
      const status =
        capture === undefined
          ? await client.setEnabled(tabId, enabled)
          : await client.setCapture(tabId, capture);
      setView({ kind: 'ready', status });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (capture === undefined) setView({ kind: 'error', message });
      else setCaptureError(message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="popup">
      <header>
        <h1>MoodLens</h1>
        <p class="privacy">Runs on this device. No frame, face or score leaves your browser.</p>
      </header>
      {acknowledged === false && (
        <FirstRunNotice
          onAcknowledge={() => {
            void client.acknowledgeNotice().then(() => setAcknowledged(true));
          }}
        />
      )}
      {view.kind === 'loading' && (
        <p class="message" role="status">
          Looking at this tab…
        </p>
      )}
      {view.kind === 'error' && (
        <p class="message error" role="alert" data-testid="error">
          {view.message}
        </p>
      )}
      {view.kind === 'ready' && !view.status.scriptable && (
        <p class="message" role="status" data-testid="unscriptable">
          {view.status.reason ?? 'MoodLens cannot run on this page.'}
        </p>
      )}
      {view.kind === 'ready' && view.status.scriptable && (
        <section>
          <p class="message" role="status" data-testid="video-count" data-videos={view.status.videos}>
            {view.status.videos === 0
              ? view.status.videosSeen === 0
                ? 'No video on this page. Open a meeting or a stream: MoodLens finds videos as they appear.'
                : `No video large enough to analyse (${plural(view.status.videosSeen, 'video is', 'videos are')} hidden or smaller than 64 px).`
              : `${plural(view.status.videos, 'video', 'videos')} found on this page.`}
          </p>
          {view.status.enabled && view.status.transport ? (
            <p class="muted" data-testid="frame-path" data-path={view.status.transport}>
              Frames reach the engine as{' '}
              {view.status.transport === 'bitmap' ? 'bitmaps (the fast path)' : 'JPEG images'}
              {view.status.transportNote ? `: ${view.status.transportNote}` : ''}.
            </p>
          ) : null}
          {view.status.unreadable ? (
            <p class="message error" role="status" data-testid="unreadable">
              {plural(view.status.unreadable, 'video is', 'videos are')} skipped:{' '}
              {view.status.unreadableReason}. On such pages, analyse another video, or ask the site to allow
              it.
            </p>
          ) : null}
          <label class="switch">
            <button
              type="button"
              role="switch"
              aria-checked={view.status.enabled}
              data-testid="enable-switch"
              disabled={busy || !acknowledged}
              onClick={() => void toggle(!view.status.enabled)}
            >
              <span class="knob" aria-hidden="true" />
            </button>
            <span>
              {view.status.enabled ? 'Analysis is on for this tab' : 'Analysis is off for this tab'}
            </span>
          </label>
          {view.status.captureAvailable && (
            <div class="capture" data-testid="capture">
              <button
                type="button"
                data-testid="capture-button"
                aria-pressed={view.status.capture === true}
                disabled={busy || !acknowledged}
                onClick={() => void toggle(true, !view.status.capture)}
              >
                {view.status.capture ? 'Stop reading the whole tab' : 'Read the whole tab instead'}
              </button>
              <p class="hint">
                {view.status.capture
                  ? 'Tab capture is on: MoodLens reads what this tab shows, so video drawn in canvases is analysed too. Its sound keeps playing.'
                  : 'For calls that draw video in canvases (Zoom on the web) or videos MoodLens cannot read. Chrome only.'}
              </p>
              {captureError && (
                <p class="message error" role="alert" data-testid="capture-error">
                  {captureError}
                </p>
              )}
            </div>
          )}
        </section>
      )}
      {view.kind === 'ready' && view.status.scriptable && view.status.enabled && tabId !== undefined && (
        <LiveView client={client} tabId={tabId} engine={engine} onLive={setLive} />
      )}
      {view.kind === 'ready' && view.status.scriptable && <EngineInfo client={client} onStatus={setEngine} />}
      {acknowledged && <QuickActions client={client} tabId={tabId} live={live} onLive={setLive} />}
    </main>
  );
}
