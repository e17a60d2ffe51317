/**
 * Google Meet. Several independent public bots and extensions agree (Vexa-ai/vexa
 * services/vexa-bot/core/src/browser/gmeet-speakers.ts, joinly-ai/joinly
 * joinly/providers/browser/platforms/google_meet.py, aws-samples/amazon-transcribe-live-meeting-
 * assistant lma-browser-extension-stack/public/content_scripts/providers/meet.js): a tile is
 * `div[data-participant-id]` holding the <video>; the name is the text of `span.notranslate` in
 * the tile. `data-self-name` holds the local user's name on every tile, so its text, not its value,
 * is used. People-panel rows carry `data-participant-id` too; only tiles with a video are asked.
 */
import { cleanName, firstName, type SiteAdapter } from './types';

const TILE = '[data-participant-id], [data-requested-participant-id], [data-initial-participant-id]';
const JUNK = /^Google Participant \(|spaces\/|devices\//;

function tileOf(video: HTMLElement): HTMLElement | null {
  // the outermost participant element around the video (inner ones are per-stream wrappers)
  let tile: HTMLElement | null = null;
  for (
    let el = video.closest<HTMLElement>(TILE);
    el;
    el = el.parentElement?.closest<HTMLElement>(TILE) ?? null
  )
    tile = el;
  return tile;
}

export const meet: SiteAdapter = {
  id: 'meet',
  matches: (host) => host === 'meet.google.com',
  nameOf(video) {
    const tile = tileOf(video);
    if (!tile) return undefined;
    const name = firstName(
      tile.querySelector('span.notranslate')?.textContent,
      tile.querySelector('[data-self-name]')?.textContent,
    );
    return name && !JUNK.test(name) ? name : undefined;
  },
  keyOf(video) {
    const tile = tileOf(video);
    const id = cleanName(
      tile?.getAttribute('data-participant-id') ??
        tile?.getAttribute('data-requested-participant-id') ??
        tile?.getAttribute('data-initial-participant-id'),
    );
    return id ? `meet:${id}` : undefined;
  },
};
