/**
 * The user's settings: one schema with defaults and validation, kept in storage.local under these
 * keys. Every context reads them through `parseSettings`, so a damaged or old value falls back to
 * its default instead of breaking a page.
 */
import { BACKEND_NAMES, type BackendName } from './protocol';

/** The version of the first-run notice (stored as `noticeAcknowledged`); raising it shows it again. */
export const NOTICE_VERSION = 1;

export const SMOOTHING = { off: 0, light: 400, medium: 800, strong: 1600 } as const;
export type Smoothing = keyof typeof SMOOTHING;

export interface Settings {
  /** Frames per second sampled from each video (0.5 to 5). */
  samplingRate: number;
  /** Frames per second across all the videos of a page (1 to 30), shared round-robin. */
  frameBudget: number;
  /** How frames reach the engine: 'auto' (ImageBitmap through the relay frame, else JPEG) or 'jpeg'. */
  framePath: 'auto' | 'jpeg';
  overlayStyle: 'full' | 'compact';
  /** tfjs back end; 'auto' picks the fastest that works. */
  backend: BackendName | 'auto';
  /** Match patterns of sites where analysis starts by itself (host permission asked for). */
  autoStart: string[];
  /** Sessions older than this many days are deleted (1 to 365). */
  retentionDays: number;
  /** Per-track smoothing of the probabilities (half-life in SMOOTHING; off gives raw output). */
  smoothing: Smoothing;
  /** Chrome: the toolbar button opens the side panel instead of the popup (sidePanel.setPanelBehavior). */
  openPanelOnAction: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  samplingRate: 2,
  frameBudget: 10,
  framePath: 'auto',
  overlayStyle: 'full',
  backend: 'auto',
  autoStart: [],
  retentionDays: 30,
  smoothing: 'medium',
  openPanelOnAction: false,
};

export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

function inRange(x: unknown, lo: number, hi: number): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi;
}

/** Settings from what storage holds (any keys, any values); unknown or invalid values → defaults. */
export function parseSettings(
  stored: Record<string, unknown>,
  defaults: Settings = DEFAULT_SETTINGS,
): Settings {
  const s = { ...defaults };
  if (inRange(stored.samplingRate, 0.5, 5)) s.samplingRate = stored.samplingRate;
  if (inRange(stored.frameBudget, 1, 30)) s.frameBudget = stored.frameBudget;
  if (stored.framePath === 'auto' || stored.framePath === 'jpeg') s.framePath = stored.framePath;
  if (stored.overlayStyle === 'full' || stored.overlayStyle === 'compact')
    s.overlayStyle = stored.overlayStyle;
  const backend = BACKEND_NAMES.find((b) => b === stored.backend);
  if (backend) s.backend = backend;
  if (Array.isArray(stored.autoStart) && stored.autoStart.every((p) => typeof p === 'string'))
    s.autoStart = stored.autoStart;
  if (inRange(stored.retentionDays, 1, 365)) s.retentionDays = Math.round(stored.retentionDays);
  if (typeof stored.smoothing === 'string' && stored.smoothing in SMOOTHING)
    s.smoothing = stored.smoothing as Smoothing;
  if (typeof stored.openPanelOnAction === 'boolean') s.openPanelOnAction = stored.openPanelOnAction;
  return s;
}

/** Checks a change before it is stored; throws with a message for the settings form. */
export function validateSettingsPatch(patch: Partial<Settings>): Partial<Settings> {
  const merged = parseSettings({ ...DEFAULT_SETTINGS, ...patch });
  for (const key of Object.keys(patch) as (keyof Settings)[]) {
    if (JSON.stringify(merged[key]) !== JSON.stringify(patch[key]))
      throw new Error(`${key}: ${JSON.stringify(patch[key])} is not an allowed value`);
  }
  return patch;
}

/** Turns what a user typed ("meet.google.com", "https://teams.microsoft.com/*") into a match pattern. */
export function sitePattern(input: string): string {
  const text = input.trim();
  const url = /^[a-z]+:\/\//i.test(text) ? text : `https://${text}`;
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/\/\*$/, '/'));
  } catch {
    throw new Error(`"${input}" is not a site address`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new Error(`"${input}": only http and https sites can start analysis by themselves`);
  if (!parsed.hostname.includes('.') && parsed.hostname !== 'localhost')
    throw new Error(`"${input}" is not a site address`);
  return `${parsed.protocol}//${parsed.hostname}/*`;
}
