// Not named index.ts: crxjs 3 resolves the background entry to a same-named dynamic script's chunk.
import contentScript from '../content/content-script.ts?script&iife';
import { send } from '../shared/messaging';
import { browser, TOP_FRAME, toTab } from '../shared/platform';
import type { VideoReport } from '../shared/protocol';

/** The built content script's path inside the package. */
export const CONTENT_SCRIPT = contentScript;

/** The global a running content script sets in its frame (content-script.ts). */
const RUNNING_MARK = '__moodlensContent';

/** The top frame's report, and the ids of the tab's other frames the content script runs in. */
export interface TabContent {
  report: VideoReport;
  frames: number[];
}

/**
 * Makes sure the content script runs in the tab's top frame, and in every frame of the tab it may
 * enter (a call embedded in an iframe). The caller needs host access to the page (activeTab after
 * the user opened the popup, or a granted host permission); frames of origins without access are
 * left out.
 */
export async function ensureContent(tabId: number): Promise<TabContent> {
  const report = await send(toTab(tabId, TOP_FRAME), 'bg>content:getReport', {}).catch(async () => {
    await browser.scripting.executeScript({
      target: { tabId, frameIds: [TOP_FRAME] },
      files: [CONTENT_SCRIPT],
    });
    return send(toTab(tabId, TOP_FRAME), 'bg>content:getReport', {});
  });
  return { report, frames: await ensureFrames(tabId) };
}

/**
 * Injects the content script into the tab's frames below the top one that do not run it yet (they
 * loaded since analysis was switched on, or after the script was injected); frames it may not
 * enter are skipped. Returns the ids of the frames it runs in now.
 */
export async function ensureFrames(tabId: number): Promise<number[]> {
  const found = await browser.scripting
    .executeScript({
      target: { tabId, allFrames: true },
      func: (mark: string) => mark in globalThis,
      args: [RUNNING_MARK],
    })
    .catch(() => []);
  const frames = found.filter((f) => f.frameId !== TOP_FRAME);
  const missing = frames.filter((f) => f.result === false).map((f) => f.frameId);
  if (missing.length > 0)
    await browser.scripting
      .executeScript({ target: { tabId, frameIds: missing }, files: [CONTENT_SCRIPT] })
      .catch((error: unknown) => console.warn('[MoodLens] a frame of the tab could not be entered:', error));
  return frames.map((f) => f.frameId);
}

/**
 * Registers the content script on the auto-start sites (idempotent; survives restarts): in every
 * frame of a matching page, including about:blank and blob: frames it creates (a call a page
 * builds in a frame of its own).
 */
export async function registerAutoStart(patterns: string[]): Promise<void> {
  const id = 'moodlens-autostart';
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [id] });
  if (patterns.length === 0) return;
  await browser.scripting.registerContentScripts([
    {
      id,
      matches: patterns,
      js: [CONTENT_SCRIPT],
      runAt: 'document_idle',
      allFrames: true,
      // browsers accept it only for patterns of whole sites (path /*)
      matchOriginAsFallback: patterns.every((p) => WHOLE_SITE.test(p)),
    },
  ]);
}

const WHOLE_SITE = /^[^:]+:\/\/[^/]*\/\*$/;

/**
 * Starts the content script in the open tabs of these sites: a registered script reaches only
 * pages that load after its registration (a site just added, or the extension installed or updated
 * while its tab was open). Each script's hello then decides, as on a page load, whether analysis
 * starts by itself; a tab whose script already runs keeps its switch. Tabs it may not enter are
 * skipped. Returns the tabs it reached.
 */
export async function startInOpenTabs(patterns: string[]): Promise<number[]> {
  if (patterns.length === 0) return [];
  const tabs = await browser.tabs.query({ url: patterns });
  const reached: number[] = [];
  for (const { id } of tabs) {
    if (id === undefined) continue;
    try {
      await ensureContent(id);
      reached.push(id);
    } catch (error) {
      console.warn('[MoodLens] an open tab of an auto-start site could not be entered:', error);
    }
  }
  return reached;
}
