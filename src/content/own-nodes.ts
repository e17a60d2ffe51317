import { OVERLAY_HOST_ATTR } from './overlay';

/**
 * The elements MoodLens itself puts in a page: the overlay's host (overlay.ts) and the relay
 * frame's host (transport.ts). The video finder leaves them and their shadow roots alone, so that
 * drawing labels never makes it look for videos again.
 */
export const RELAY_HOST_TAG = 'moodlens-relay';

/** True for a host element MoodLens made (a page can mimic one: it only hides its own nodes then). */
export function isOwnNode(node: Node): boolean {
  return (
    node.nodeType === Node.ELEMENT_NODE &&
    ((node as Element).localName === RELAY_HOST_TAG || (node as Element).hasAttribute(OVERLAY_HOST_ATTR))
  );
}
