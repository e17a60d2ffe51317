/**
 * The background's side of sessions: one store handle, one recorder, the tab's session id kept in
 * its storage.session state (so a restarted worker carries on), and the housekeeping done when
 * the browser starts (end sessions left open, delete sessions past the retention) and then on an
 * alarm every `HOUSEKEEPING_PERIOD_MIN` (retention, and downsampling of the sessions still open),
 * so a browser left open for days keeps to the retention without a frame on the recorder's way.
 */
import { browser } from '../shared/platform';
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

export const HOUSEKEEPING_ALARM = 'housekeeping';
export const HOUSEKEEPING_PERIOD_MIN = 60;

/** Deletes the sessions past the retention and downsamples the old chunks of those still open. */
export async function housekeeping(now = Date.now()): Promise<void> {
  const store = await sessionStore();
  await store.deleteStartedBefore(now - (await retentionDays()) * 86_400_000);
  await store.compactOpen(now);
}

/** Schedules the housekeeping alarm unless it is (alarms may not survive a browser restart). */
export async function scheduleHousekeeping(): Promise<void> {
  if (await browser.alarms.get(HOUSEKEEPING_ALARM)) return;
  await browser.alarms.create(HOUSEKEEPING_ALARM, {
    delayInMinutes: HOUSEKEEPING_PERIOD_MIN,
    periodInMinutes: HOUSEKEEPING_PERIOD_MIN,
  });
}

/** After a browser start no tab carries a session over: end every one left open, and downsample it. */
export async function endAbandonedSessions(now = Date.now()): Promise<void> {
  const store = await sessionStore();
  for (const id of await store.endOpenSessions(now)) await store.compact(id, Number.POSITIVE_INFINITY);
}
