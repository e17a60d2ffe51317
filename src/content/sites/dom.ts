/**
 * DOM walks the adapters share. Meeting clients put videos and canvases inside custom elements
 * with open shadow roots (Zoom's <video-player>), so "closest" has to cross shadow boundaries.
 */

/** The parent in the composed tree: the parent element, or the host of the shadow root. */
export function composedParent(el: Element): Element | null {
  if (el.parentElement) return el.parentElement;
  const root = el.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

/** Element.closest() that continues from a shadow root's host. */
export function composedClosest(el: Element, selector: string): HTMLElement | null {
  for (let cur: Element | null = el; cur;) {
    const hit = cur.closest<HTMLElement>(selector);
    if (hit) return hit;
    const root = cur.getRootNode();
    cur = root instanceof ShadowRoot ? root.host : null;
  }
  return null;
}

const MEDIA = 'video, canvas';

/**
 * The element's ancestors that still belong to its tile alone, nearest first: the walk stops at
 * the first ancestor that also holds another video or canvas (the grid around the tile), so a
 * search inside an ancestor never reads a neighbour's name. At most `maxDepth` ancestors.
 */
export function tileAncestors(el: Element, maxDepth = 10): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (let cur = composedParent(el); cur && out.length < maxDepth; cur = composedParent(cur)) {
    if (cur === el.ownerDocument.body || cur === el.ownerDocument.documentElement) break;
    const media = cur.querySelectorAll(MEDIA);
    if ([...media].some((m) => m !== el && !m.contains(el) && !el.contains(m))) break;
    if (cur instanceof HTMLElement) out.push(cur);
  }
  return out;
}
