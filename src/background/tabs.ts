import { send } from '../shared/messaging';
import { explainInjectionError, pageAccess } from '../shared/page-access';
import { browser, TOP_FRAME, toTab } from '../shared/platform';
import type { TabStatus } from '../shared/protocol';
import { tabCaptureAvailable } from '../shared/tab-capture';
import { ensureContent, type TabContent } from './content-injection';
import { startTabCapture, stopTabCapture } from './engine-connection';
import type { TabLifecycle } from './tab-lifecycle';
import { getTabState, tabVideos, type TabState } from './tab-state';

function statusOf(tabId: number, state: TabState): TabStatus {
  const found = tabVideos(state);
  return {
    tabId,
    scriptable: true,
    enabled: state.enabled,
    videos: found.videos,
    videosSeen: found.videosSeen,
    unreadable: found.unreadable ?? 0,
    unreadableReason: found.unreadableReason,
    capture: state.capture ?? false,
    transport: state.transport,
    transportNote: state.transportNote,
    captureAvailable: tabCaptureAvailable(browser.runtime.getManifest()),
  };
}

function unscriptable(tabId: number, reason: string): TabStatus {
  return { tabId, scriptable: false, reason, enabled: false, videos: 0, videosSeen: 0 };
}

/** Shows on the toolbar icon, for each tab, that analysis is on. */
export async function showBadge(tabId: number, enabled: boolean): Promise<void> {
  await browser.action.setBadgeText({ tabId, text: enabled ? 'ON' : '' });
  if (enabled) await browser.action.setBadgeBackgroundColor({ tabId, color: '#5b3fd6' });
}

/** The tab's turns (TabLifecycle): the popup's writes to the tab's state go through them. */
export type TabTurns = Pick<TabLifecycle, 'found' | 'reported' | 'captureStarted' | 'captureEnded'>;

/** The popup's view of a tab: injects the content script if needed to count the videos. */
export async function tabStatus(turns: TabTurns, tabId: number): Promise<TabStatus> {
  const tab = await browser.tabs.get(tabId);
  // Without host access the URL is hidden (undefined): then the injection attempt tells.
  if (tab.url !== undefined) {
    const access = pageAccess(tab.url);
    if (!access.scriptable) return unscriptable(tabId, access.reason);
  }
  let content: TabContent;
  try {
    content = await ensureContent(tabId);
  } catch (error) {
    return unscriptable(tabId, explainInjectionError(error instanceof Error ? error.message : String(error)));
  }
  return statusOf(tabId, await turns.found(tabId, content.report, content.frames));
}

/**
 * The popup's switch: the page's answer is recorded in the tab's turn, as its own report would
 * be (the badge, the other frames, the session's end when off), so a navigation racing it decides
 * the outcome by order alone.
 */
export async function setEnabled(turns: TabTurns, tabId: number, enabled: boolean): Promise<TabStatus> {
  const status = await tabStatus(turns, tabId);
  if (!status.scriptable) return status;
  if (!enabled && status.capture) await stopCapture(turns, tabId);
  const report = await send(toTab(tabId, TOP_FRAME), 'bg>content:setEnabled', { enabled });
  await turns.reported(tabId, report);
  return statusOf(tabId, await getTabState(tabId));
}

/**
 * Tells the content scripts of all the tab's frames (a call embedded in an iframe) to analyse or
 * not; the top frame, told already, ignores it. Frames without one are not waited for.
 */
export async function setEnabledInFrames(tabId: number, enabled: boolean): Promise<void> {
  await send(toTab(tabId), 'bg>content:setEnabled', { enabled }).catch(() => undefined);
}

/**
 * Tab-capture mode (Chrome), started from the popup with a stream id it got from
 * tabCapture.getMediaStreamId (a user gesture). Switches analysis on if it was off.
 */
export async function startCapture(turns: TabTurns, tabId: number, streamId: string): Promise<TabStatus> {
  let status = await tabStatus(turns, tabId);
  if (!status.scriptable) return status;
  if (!status.enabled) status = await setEnabled(turns, tabId, true);
  const startedAt = (await getTabState(tabId)).url;
  await startTabCapture(tabId, streamId);
  await send(toTab(tabId, TOP_FRAME), 'bg>content:setCapture', { on: true });
  return statusOf(tabId, await turns.captureStarted(tabId, startedAt));
}

/** Ends the tab's capture: the offscreen capture (unless it ended by itself) and the page's overlay. */
export async function endCapture(tabId: number, captureStopped = false): Promise<void> {
  if (!captureStopped) await stopTabCapture(tabId).catch(() => undefined);
  await send(toTab(tabId, TOP_FRAME), 'bg>content:setCapture', { on: false }).catch(() => undefined);
}

/** Back to element mode (the capture is stopped, or it ended by itself). */
export async function stopCapture(
  turns: TabTurns,
  tabId: number,
  captureStopped = false,
): Promise<TabStatus> {
  await endCapture(tabId, captureStopped);
  return statusOf(tabId, await turns.captureEnded(tabId));
}
