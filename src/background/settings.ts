import { browser } from '../shared/platform';
import { revokeRemovedSites, stillGranted } from './auto-start-access';
import type { BackendName, EngineSettings } from '../shared/protocol';
import { NOTICE_VERSION, parseSettings, SETTING_KEYS, SMOOTHING } from '../shared/settings';

/** Match patterns of the sites where analysis starts automatically (host permission granted). */
export async function autoStartPatterns(): Promise<string[]> {
  const { autoStart } = (await browser.storage.local.get('autoStart')) as { autoStart?: string[] };
  // The development flavour starts on the localhost demo page without being asked.
  return autoStart ?? (__MOODLENS_DEV__ ? ['http://localhost/*', 'http://127.0.0.1/*'] : []);
}

/** The auto-start list as stored (undefined: never set, so the defaults above apply). */
async function storedAutoStart(): Promise<string[] | undefined> {
  const { autoStart } = (await browser.storage.local.get('autoStart')) as { autoStart?: unknown };
  return Array.isArray(autoStart) ? autoStart.filter((p): p is string => typeof p === 'string') : undefined;
}

/**
 * After the auto-start list changed (`before`: its previous value): gives back the host access of
 * the sites taken off it, except what a remaining site or the manifest still needs.
 */
export async function revokeDroppedAutoStart(before: unknown): Promise<string[]> {
  const previous = Array.isArray(before) ? before.filter((p): p is string => typeof p === 'string') : [];
  const required = browser.runtime.getManifest().host_permissions ?? [];
  // the list as it is now, not as the event said: the user may have added a site back since
  return revokeRemovedSites(previous, await autoStartPatterns(), required, browser.permissions);
}

/**
 * After the user took host access away in the browser: takes the sites MoodLens can no longer read
 * off the auto-start list (storage.onChanged then registers the content script on the rest).
 */
export async function dropRevokedAutoStart(): Promise<string[]> {
  const list = await storedAutoStart();
  if (!list) return [];
  const kept = await stillGranted(list, browser.permissions);
  const dropped = list.filter((p) => !kept.includes(p));
  if (dropped.length > 0) await browser.storage.local.set({ autoStart: kept });
  return dropped;
}

/**
 * Whether the user acknowledged the first-run notice (what MoodLens does and does not, the EU AI
 * Act). Analysis does not start before. The development flavour (tests, the demo) counts as
 * acknowledged.
 */
export async function noticeAcknowledged(): Promise<boolean> {
  if (__MOODLENS_DEV__) return true;
  const { noticeAcknowledged: v } = (await browser.storage.local.get('noticeAcknowledged')) as {
    noticeAcknowledged?: unknown;
  };
  return typeof v === 'number' && v >= NOTICE_VERSION;
}

/** Days a session is kept (settings; default 30). */
export async function retentionDays(): Promise<number> {
  const { retentionDays: days } = (await browser.storage.local.get('retentionDays')) as {
    retentionDays?: unknown;
  };
  return typeof days === 'number' && days > 0 ? days : 30;
}

/** What the engine needs from the settings. */
export async function engineSettings(): Promise<EngineSettings> {
  const s = parseSettings(await browser.storage.local.get(SETTING_KEYS));
  return {
    backend: s.backend === 'auto' ? undefined : s.backend,
    smoothingHalfLifeMs: SMOOTHING[s.smoothing],
  };
}

export async function setBackendOverride(backend: BackendName | 'auto'): Promise<void> {
  if (backend === 'auto') await browser.storage.local.remove('backend');
  else await browser.storage.local.set({ backend });
}
