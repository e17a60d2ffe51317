/**
 * The generic rule, for any page and for any tile a site adapter cannot read: the element's own
 * accessible name (aria-label, title), else the nearest of its tile's ancestors (up to 4, never
 * past one that holds another video) that names it by an aria-label, a data-participant attribute
 * or a figcaption. Every candidate passes the name rule (names.ts): an aria-label gives only its
 * first clause without badges, never the whole sentence, and state text, icon words, e-mail
 * addresses and placeholders are refused. Undefined when nothing is a name: the session then says
 * "Participant N", and analysis goes on either way.
 */
import { tileAncestors } from './dom';
import { cleanName, labelName } from './names';
import type { SiteAdapter } from './types';

export function genericParticipantName(el: HTMLElement): string | undefined {
  const own = labelName(el.getAttribute('aria-label')) ?? cleanName(el.getAttribute('title'));
  if (own) return own;
  for (const anc of tileAncestors(el, 4)) {
    const named =
      labelName(anc.getAttribute('aria-label')) ??
      cleanName(anc.dataset.participant) ??
      cleanName(anc.querySelector(':scope > figcaption')?.textContent);
    if (named) return named;
  }
  return undefined;
}

export const generic: SiteAdapter = {
  id: 'generic',
  matches: () => true,
  nameOf: genericParticipantName,
};
