/**
 * The generic rule, for any page: the video's own accessible name, else the nearest ancestor (up
 * to 4 levels) that names it (aria-label, a data-participant attribute, a figcaption). Undefined
 * when the page shows no name: the session then says "Participant N".
 */
import { cleanName, type SiteAdapter } from './types';

export function genericParticipantName(video: HTMLElement): string | undefined {
  const own = cleanName(video.getAttribute('aria-label')) ?? cleanName(video.title);
  if (own) return own;
  let el: Element | null = video.parentElement;
  for (let depth = 0; el && depth < 4; depth++, el = el.parentElement) {
    const named =
      cleanName(el.getAttribute('aria-label')) ??
      cleanName((el as HTMLElement).dataset.participant) ??
      cleanName(el.querySelector(':scope > figcaption')?.textContent);
    if (named) return named;
  }
  return undefined;
}

export const generic: SiteAdapter = {
  id: 'generic',
  matches: () => true,
  nameOf: genericParticipantName,
};
