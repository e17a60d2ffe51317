import { useEffect, useState } from 'preact/hooks';
import { EMOTION_COLOURS } from '../shared/emotions';
import type { EngineStatus, LiveStats } from '../shared/protocol';
import type { SessionMeta } from '../shared/session';
import { percent } from '../ui/format';
import type { ExtensionClient } from '../ui/client';
import { BACKEND_LABELS } from './EngineInfo';

/**
 * What runs in the tab now, in a few lines: faces, back end, frames per second, latency, and each
 * participant's current expression on one line. Polls the background's live view (no timelines).
 */
export function LiveView({
  client,
  tabId,
  engine,
  onLive,
  pollMs = 1000,
}: {
  client: ExtensionClient;
  tabId: number;
  engine: EngineStatus | undefined;
  /** Told each new live view (the popup's buttons need its session). */
  onLive?: (live: LiveStats) => void;
  pollMs?: number;
}) {
  const [live, setLive] = useState<LiveStats | undefined>();
  const [meta, setMeta] = useState<SessionMeta | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let alive = true;
    const poll = async () => {
      try {
        const l = await client.live(tabId);
        if (!alive) return;
        setLive(l);
        onLive?.(l);
        setError(undefined);
        if (l.sessionId) setMeta(await client.getSessionMeta(l.sessionId));
      } catch (e) {
        if (alive) setError(e instanceof Error ? e.message : String(e));
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), pollMs);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [client, tabId, pollMs, onLive]);

  if (error)
    return (
      <p class="message error" role="alert">
        {error}
      </p>
    );
  const names = new Map(meta?.participants.map((p) => [p.id, p.name]));
  const backend = engine?.state === 'ready' && engine.backend ? BACKEND_LABELS[engine.backend] : undefined;
  const faces = live?.faces ?? [];
  return (
    <section class="live" aria-label="Now" data-testid="live">
      <p class="muted stats" data-testid="live-stats">
        {faces.length} face{faces.length === 1 ? '' : 's'}
        {backend ? ` · ${backend}` : ''} · {(live?.fps ?? 0).toFixed(1)} frames/s
        {live?.latencyMs !== undefined ? ` · ${Math.round(live.latencyMs)} ms` : ''}
      </p>
      {live?.storeError && (
        <p class="message error" role="alert">
          The session could not be saved: {live.storeError}
        </p>
      )}
      <ul class="now">
        {faces.map((f) => (
          <li key={f.participantId} data-testid="live-face">
            <span class="pname">{names.get(f.participantId) ?? 'New participant'}</span>
            <span class="emotion">
              <span class="swatch" style={{ background: EMOTION_COLOURS[f.dominant] }} aria-hidden="true" />
              {f.dominant} {percent(f.confidence)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
