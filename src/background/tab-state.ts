import { browser } from '../shared/platform';
import type { FrameTransportName, VideoReport } from '../shared/protocol';
import { Turns } from '../shared/turns';

/**
 * Per-tab state, in storage.session so it survives the service worker sleeping (module state
 * would not) and is gone when the browser closes.
 */
export interface TabState {
  enabled: boolean;
  videos: number;
  videosSeen: number;
  /** The URL the state belongs to; a navigation to another document resets it. */
  url?: string;
  title?: string;
  unreadable?: number;
  unreadableReason?: string | undefined;
  /** The session recording this tab's analysis, while one runs; and the tab's last one. */
  sessionId?: string;
  lastSessionId?: string;
  /** Tab-capture mode is on. */
  capture?: boolean;
  /** How the page's frames reach the engine, and why not as bitmaps (VideoReport). */
  transport?: FrameTransportName | undefined;
  transportNote?: string | undefined;
  /**
   * The videos found by the content scripts of the tab's other frames (a call embedded in an
   * iframe), by frame id; the fields above are the top frame's.
   */
  frames?: Record<string, FrameVideos> | undefined;
}

/**
 * A report as a patch of the tab's state. A message drops the fields a report leaves undefined
 * (the frame path's note once the bitmap path runs, the unreadable reason once none is): named
 * here, they clear what an earlier report said.
 */
export function reportPatch(report: VideoReport): Partial<TabState> {
  const { unreadable, unreadableReason, transport, transportNote } = report;
  return { ...report, unreadable, unreadableReason, transport, transportNote };
}

/** What the content script of one frame below the top one found. */
export type FrameVideos = Pick<VideoReport, 'videos' | 'videosSeen' | 'unreadable' | 'unreadableReason'>;

/** The tab's videos: the top frame's and every other frame's together. */
export function tabVideos(state: TabState): FrameVideos {
  const all = [state, ...Object.values(state.frames ?? {})];
  return {
    videos: all.reduce((n, f) => n + f.videos, 0),
    videosSeen: all.reduce((n, f) => n + f.videosSeen, 0),
    unreadable: all.reduce((n, f) => n + (f.unreadable ?? 0), 0),
    unreadableReason: all.find((f) => f.unreadableReason)?.unreadableReason,
  };
}

const EMPTY: TabState = { enabled: false, videos: 0, videosSeen: 0 };
const TAB_KEY = 'tab:';
const key = (tabId: number) => `${TAB_KEY}${tabId}`;

export async function getTabState(tabId: number): Promise<TabState> {
  const stored = (await browser.storage.session.get(key(tabId)))[key(tabId)] as TabState | undefined;
  return { ...EMPTY, ...stored };
}

const patching = new Turns<number>();

/**
 * Merges `patch` into the tab's state. Patches of one tab run one after another: two concurrent
 * read-modify-writes would otherwise lose one of them (a session id written beside "analysis
 * off" must not switch analysis back on).
 */
export function patchTabState(tabId: number, patch: Partial<TabState>): Promise<TabState> {
  return updateTabState(tabId, (state) => ({ ...state, ...patch }));
}

/** Replaces the tab's state by `change` of it, in the same turn as the patches (patchTabState). */
export function updateTabState(tabId: number, change: (state: TabState) => TabState): Promise<TabState> {
  return patching.run(tabId, async () => {
    const previous = await getTabState(tabId);
    const next = change(previous);
    // no write, and so no storage event, when nothing changed: the popup re-reads the tab's status
    // on each event, and that read records the status again
    if (JSON.stringify(next) !== JSON.stringify(previous))
      await browser.storage.session.set({ [key(tabId)]: next });
    return next;
  });
}

/** The state with `frameId`'s videos set (a frame below the top one reported). */
export const withFrameVideos =
  (frameId: number, found: FrameVideos) =>
  (state: TabState): TabState => ({ ...state, frames: { ...state.frames, [frameId]: found } });

/** The state without the videos of frames the tab no longer has (`present`: those it has). */
export const withFramesPresent =
  (present: number[]) =>
  (state: TabState): TabState => ({
    ...state,
    frames: Object.fromEntries(
      Object.entries(state.frames ?? {}).filter(([id]) => present.includes(Number(id))),
    ),
  });

/** Whether analysis is on in any tab (the engine is needed). */
export async function anyTabEnabled(): Promise<boolean> {
  const all = await browser.storage.session.get(null);
  return Object.entries(all).some(
    ([k, v]) => k.startsWith(TAB_KEY) && (v as Partial<TabState> | undefined)?.enabled === true,
  );
}

export async function clearTabState(tabId: number): Promise<void> {
  await browser.storage.session.remove([key(tabId), relayKey(tabId)]);
}

/**
 * The secret the tab's content script gives its relay frame (relay>bg:hello checks it). Kept under
 * its own key: the tab state is patched by concurrent handlers, and a patch that read the state
 * before the token was written would drop it.
 */
const relayKey = (tabId: number) => `relay:${tabId}`;

export async function setRelayToken(tabId: number, token: string): Promise<void> {
  await browser.storage.session.set({ [relayKey(tabId)]: token });
}

export async function relayTokenOf(tabId: number): Promise<string | undefined> {
  const stored: unknown = (await browser.storage.session.get(relayKey(tabId)))[relayKey(tabId)];
  return typeof stored === 'string' ? stored : undefined;
}
