import { useEffect, useState } from 'preact/hooks';
import { EMOTION_COLOURS } from '../shared/emotions';
import type { LiveStats } from '../shared/protocol';
import type { SessionMeta } from '../shared/session';
import { percent } from '../ui/format';
import type { ExtensionClient } from '../ui/client';

/** What runs in the tab now: frames per second, latency, and each participant's current emotion. */
export function LiveView({
  client,
  tabId,
  pollMs = 1000,
}: {
  client: ExtensionClient;
  tabId: number;
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
  }, [client, tabId, pollMs]);

  if (error)
    return (
      <p class="message error" role="alert">
        {error}
      </p>
    );
  if (!live) return null;
  const names = new Map(meta?.participants.map((p) => [p.id, p.name]));
  return (
    <section class="live" aria-label="Now" data-testid="live">
      <p class="muted" data-testid="live-stats">
        {live.fps.toFixed(1)} frames/s analysed · {live.faces.length} face{live.faces.length === 1 ? '' : 's'}
        {live.latencyMs !== undefined ? ` · ${Math.round(live.latencyMs)} ms latency` : ''}
      </p>
      {live.storeError && (
        <p class="message error" role="alert">
          The session could not be saved: {live.storeError}
        </p>
      )}
      <ul class="now">
        {live.faces.map((f) => (
          <li key={f.participantId} data-testid="live-face">
            <span class="pname">{names.get(f.participantId) ?? 'New participant'}</span>
            <span class="emotion">
              <span class="swatch" style={{ background: EMOTION_COLOURS[f.dominant] }} aria-hidden="true" />
              {f.dominant} {percent(f.confidence)}
            </span>
            <span class="bar" aria-hidden="true">
              <span style={{ width: percent(f.confidence), background: EMOTION_COLOURS[f.dominant] }} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
