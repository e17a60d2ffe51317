/**
 * Browser differences live here. Both browsers get the promise-based `browser` API of
 * webextension-polyfill; what differs is named below with the reason.
 */
import browser from 'webextension-polyfill';
import type { Envelope, Reply, Self, SenderInfo, Transport } from './messaging';

export { browser };

export const target: 'chrome' | 'firefox' = __MOODLENS_TARGET__;

export const self = (): Self => ({ id: browser.runtime.id, origin: browser.runtime.getURL('') });

export const toRuntime: Transport = (message: Envelope) => browser.runtime.sendMessage(message);
/** To the content scripts of a tab: every frame's, or only the frame `frameId` (0: the top frame). */
export const toTab =
  (tabId: number, frameId?: number): Transport =>
  (message: Envelope) =>
    frameId === undefined
      ? browser.tabs.sendMessage(tabId, message)
      : browser.tabs.sendMessage(tabId, message, { frameId });

/** The top frame's content script: the one that speaks for the tab's page (URL, title, capture). */
export const TOP_FRAME = 0;

/**
 * Adds a dispatcher (createDispatcher) as a runtime.onMessage listener. It answers through
 * sendResponse and `return true`, which both browsers honour; a listener that returns a Promise
 * is not answered by Chromium's native `browser` namespace (the channel stays open).
 */
export function listen(
  dispatch: (message: unknown, sender: SenderInfo) => Promise<Reply<unknown>> | undefined,
): () => void {
  const listener = (
    message: unknown,
    sender: SenderInfo,
    sendResponse: (reply: unknown) => void,
  ): true | undefined => {
    const reply = dispatch(message, sender);
    if (!reply) return undefined;
    void reply.then(sendResponse);
    return true;
  };
  const onMessage = browser.runtime.onMessage as unknown as {
    addListener: (l: typeof listener) => void;
    removeListener: (l: typeof listener) => void;
  };
  onMessage.addListener(listener);
  return () => onMessage.removeListener(listener);
}
