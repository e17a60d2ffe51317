/**
 * The background's side of sessions: one store handle, one recorder, the tab's session id kept in
 * its storage.session state (so a restarted worker carries on), and the housekeeping done when
 * the browser starts (end sessions left open, delete sessions past the retention).
 */
import { SessionStore } from '../shared/session-store';
import { SessionRecorder } from './session-recorder';
import { retentionDays } from './settings';
import { getTabState, patchTabState } from './tab-state';

let opening: Promise<SessionStore> | undefined;

/** The database, opened once per worker life (a failed open is retried on next use). */
export function sessionStore(): Promise<SessionStore> {
  opening ??= SessionStore.open().catch((error: unknown) => {
    opening = undefined;
    throw new Error(
      `the session database could not be opened: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  return opening;
}

export const recorder = new SessionRecorder(sessionStore, {
  get: async (tabId) => {
    const { sessionId, enabled } = await getTabState(tabId);
    return { sessionId, recording: enabled };
  },
  set: async (tabId, sessionId) => {
    const previous = (await getTabState(tabId)).sessionId;
    await patchTabState(tabId, sessionId ? { sessionId } : { sessionId: undefined, lastSessionId: previous });
  },
});

export async function housekeeping(now = Date.now()): Promise<void> {
  const store = await sessionStore();
  await store.deleteStartedBefore(now - (await retentionDays()) * 86_400_000);
}

/** After a browser start no tab carries a session over: end every one left open. */
export async function endAbandonedSessions(now = Date.now()): Promise<void> {
  await (await sessionStore()).endOpenSessions(now);
}
