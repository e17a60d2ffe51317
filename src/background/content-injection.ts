// Not named index.ts: crxjs 3 resolves the background entry to a same-named dynamic script's chunk.
import contentScript from '../content/content-script.ts?script&iife';
import { send } from '../shared/messaging';
import { browser, toTab } from '../shared/platform';
import type { VideoReport } from '../shared/protocol';

/** The built content script's path inside the package. */
export const CONTENT_SCRIPT = contentScript;

/**
 * Makes sure the content script runs in the tab's top frame and returns its report. Injects it
 * when no instance answers; the caller needs host access to the page (activeTab after the user
 * opened the popup, or a granted host permission).
 */
export async function ensureContent(tabId: number): Promise<VideoReport> {
  try {
    return await send(toTab(tabId), 'bg>content:getReport', {});
  } catch {
    await browser.scripting.executeScript({ target: { tabId }, files: [CONTENT_SCRIPT] });
    return send(toTab(tabId), 'bg>content:getReport', {});
  }
}

/** Registers the content script on the auto-start sites (idempotent; survives restarts). */
export async function registerAutoStart(patterns: string[]): Promise<void> {
  const id = 'moodlens-autostart';
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [id] });
  if (patterns.length === 0) return;
  await browser.scripting.registerContentScripts([
    { id, matches: patterns, js: [CONTENT_SCRIPT], runAt: 'document_idle', allFrames: false },
  ]);
}
