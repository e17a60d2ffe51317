/**
 * The engine keeps one tracker per source id, but a page names its videos (tiles) on its own: two
 * tabs may both have a "v1". Every frame path (the content script's messages, the relay's channel,
 * tab capture) therefore names a frame's source by its tab on the way to the engine, and gives the
 * reply back under the page's own id, so the session recorder and the page see the page's id.
 */
import type { FrameReply } from './protocol';

/** The engine's name of a page's source: `tabId:sourceId`. */
export const tabSourceId = (tabId: number, sourceId: string): string => `${String(tabId)}:${sourceId}`;

/** The engine's reply under the page's own source id (a reply without a source is left as it is). */
export function pageReply<R extends FrameReply>(reply: R, sourceId: string): R {
  return 'sourceId' in reply ? { ...reply, sourceId } : reply;
}
