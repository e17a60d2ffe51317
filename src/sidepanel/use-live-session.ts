/**
 * The live state of a tab for the panel: what runs (polled once a second: cheap, no timelines),
 * the running session's participants, and a LiveModel fed by the samples the background pushes.
 * The session's timelines are read once, when the panel meets the session, to fill the strips.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LiveStats } from '../shared/protocol';
import type { SessionMeta } from '../shared/session';
import type { ExtensionClient } from '../ui/client';
import { LiveModel } from '../ui/live-model';

export interface LiveSession {
  live: LiveStats | undefined;
  meta: SessionMeta | undefined;
  model: LiveModel;
  /** Changes whenever the model does (at most every `renderMs`). */
  version: number;
  error: string | undefined;
  /** Reads the participants' names again (after a rename). */
  refreshMeta: () => void;
}

export function useLiveSession(
  client: ExtensionClient,
  tabId: number | undefined,
  { pollMs = 1000, renderMs = 250 } = {},
): LiveSession {
  const model = useRef(new LiveModel());
  const sessionRef = useRef<string | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const [live, setLive] = useState<LiveStats | undefined>();
  const [meta, setMeta] = useState<SessionMeta | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [metaTick, setMetaTick] = useState(0);

  useEffect(() => {
    if (tabId === undefined) return;
    let alive = true;
    // read through a function: the flag changes while a read is awaited
    const isAlive = () => alive;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // many samples a second: the view re-renders at most every renderMs
    const schedule = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        if (alive) setVersion(model.current.version);
      }, renderMs);
    };
    const reset = () => {
      model.current = new LiveModel();
      setVersion(-1);
    };
    reset();
    sessionRef.current = undefined;
    setLive(undefined);
    setMeta(undefined);
    const unwatch = client.watchSamples(tabId, (samples) => {
      model.current.add(samples);
      schedule();
    });
    const poll = async () => {
      try {
        const l = await client.live(tabId);
        if (!alive) return;
        setLive(l);
        setError(undefined);
        if (l.sessionId !== sessionRef.current) {
          const first = sessionRef.current === undefined;
          sessionRef.current = l.sessionId;
          // a new session (not the one pushes already started): start afresh
          if (!first || l.sessionId === undefined) reset();
          if (l.sessionId) {
            const stored = await client.getSession(l.sessionId);
            if (isAlive() && stored && sessionRef.current === l.sessionId) {
              model.current.seed(stored.timelines);
              schedule();
            }
          }
        }
        if (l.sessionId) {
          const m = await client.getSessionMeta(l.sessionId);
          if (isAlive()) setMeta(m);
        }
      } catch (e) {
        if (alive) setError(e instanceof Error ? e.message : String(e));
      }
    };
    void poll();
    const interval = setInterval(() => void poll(), pollMs);
    return () => {
      alive = false;
      unwatch();
      clearInterval(interval);
      clearTimeout(timer);
    };
  }, [client, tabId, pollMs, renderMs]);

  // after a rename: the names again, without waiting for the next poll
  useEffect(() => {
    if (metaTick === 0 || !live?.sessionId) return;
    void client.getSessionMeta(live.sessionId).then(setMeta);
  }, [client, metaTick, live?.sessionId]);

  return {
    live,
    meta,
    model: model.current,
    version,
    error,
    refreshMeta: () => setMetaTick((n) => n + 1),
  };
}
