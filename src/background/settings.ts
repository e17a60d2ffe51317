import { browser } from '../shared/platform';
import { BACKEND_NAMES, type BackendName, type EngineSettings } from '../shared/protocol';
import { NOTICE_VERSION, parseSettings, SETTING_KEYS, SMOOTHING } from '../shared/settings';

/** Match patterns of the sites where analysis starts automatically (host permission granted). */
export async function autoStartPatterns(): Promise<string[]> {
  const { autoStart } = (await browser.storage.local.get('autoStart')) as { autoStart?: string[] };
  // The development flavour starts on the localhost demo page without being asked.
  return autoStart ?? (__MOODLENS_DEV__ ? ['http://localhost/*', 'http://127.0.0.1/*'] : []);
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

/** The user's tfjs back end (undefined: automatic, the fastest that works). */
export async function backendOverride(): Promise<BackendName | undefined> {
  const { backend } = (await browser.storage.local.get('backend')) as { backend?: unknown };
  return BACKEND_NAMES.find((b) => b === backend);
}

export async function setBackendOverride(backend: BackendName | 'auto'): Promise<void> {
  if (backend === 'auto') await browser.storage.local.remove('backend');
  else await browser.storage.local.set({ backend });
}
