/**
 * The name a page shows for the participant of a video tile, by the generic rule: the video's own
 * accessible name, else the nearest ancestor (up to 4 levels) that names it (aria-label, a
 * data-participant attribute, a figcaption). Site adapters for the big meeting clients come in
 * front of this rule. Undefined when the page shows no name: the session then says
 * "Participant N".
 */
const MAX_LENGTH = 60;

function clean(text: string | null | undefined): string | undefined {
  const t = text?.replace(/\s+/g, ' ').trim();
  return t && t.length <= MAX_LENGTH ? t : undefined;
}

export function genericParticipantName(video: HTMLVideoElement): string | undefined {
  const own = clean(video.getAttribute('aria-label')) ?? clean(video.title);
  if (own) return own;
  let el: Element | null = video.parentElement;
  for (let depth = 0; el && depth < 4; depth++, el = el.parentElement) {
    const named =
      clean(el.getAttribute('aria-label')) ??
      clean((el as HTMLElement).dataset.participant) ??
      clean(el.querySelector(':scope > figcaption')?.textContent);
    if (named) return named;
  }
  return undefined;
}
