/**
 * Google Meet. Sources:
 * - Vexa-ai/vexa core/meetings/modules/gmeet-capture/src/gmeet-speakers.ts
 *   (4647c96e07757d022b9e04ed41de40f89c8462ec): a tile is `div[data-participant-id]`; its name is
 *   the text of `span.notranslate`, else the value of a `[data-self-name]` inside it; names
 *   matching "Google Participant (…)", "spaces/", "devices/" or holding "let participants",
 *   "send messages", "turn on captions" are junk; data-self-name marks the local tile.
 * - joinly-ai/joinly joinly/providers/browser/platforms/google_meet.py
 *   (59472ff1bb6d74aea210537cfb7f8679732cd08a): `div[data-participant-id]` and `span.notranslate`.
 * - meetingbot/meetingbot src/bots/meet/src/bot.ts (2b1b4488396c5443f92c34efcb7cb443eefbfe04): the
 *   video block is `[data-requested-participant-id="<same id>"]`.
 * - attendee-labs/attendee bots/google_meet_bot_adapter/google_meet_chromedriver_payload.js
 *   (56f1ff8bb8d12d46f2494507b21956f9c63eed94): a participant's video element is
 *   `[data-participant-id="<deviceId>"]` holding `button[aria-label*="More options"]`; icons are
 *   `<i aria-hidden="true">` ligatures ("keep") whose words are part of the tile's text.
 * Older public code (laffra/happymeet) saw `data-self-name` with the local user's name on every
 * tile; the issue reports it gone in 2026 (no public source for that was found). Both are handled:
 * its value names a tile only when it is on exactly one tile of the page (then it is the local
 * user's), and a page without it still reads `span.notranslate`.
 */
import { cleanName } from './names';
import { siteKey, type SiteAdapter } from './types';

const ID_ATTRS = ['data-participant-id', 'data-requested-participant-id', 'data-initial-participant-id'];
const TILE = ID_ATTRS.map((a) => `[${a}]`).join(', ');

function tileOf(el: HTMLElement): HTMLElement | null {
  // the outermost participant element around the element (inner ones are per-stream wrappers)
  let tile: HTMLElement | null = null;
  for (
    let cur = el.closest<HTMLElement>(TILE);
    cur;
    cur = cur.parentElement?.closest<HTMLElement>(TILE) ?? null
  )
    tile = cur;
  return tile;
}

/** data-self-name's value, when only this tile of the page carries one (the local user's tile). */
function selfName(tile: HTMLElement): string | undefined {
  const marker =
    tile.querySelector('[data-self-name]') ?? (tile.hasAttribute('data-self-name') ? tile : null);
  if (!marker) return undefined;
  const tilesWithMarker = new Set(
    [...tile.ownerDocument.querySelectorAll('[data-self-name]')].map((m) => tileOf(m as HTMLElement)),
  );
  return tilesWithMarker.size === 1 ? cleanName(marker.getAttribute('data-self-name')) : undefined;
}

export const meet: SiteAdapter = {
  id: 'meet',
  matches: (host) => host === 'meet.google.com',
  nameOf(el) {
    const tile = tileOf(el);
    if (!tile) return undefined;
    for (const span of tile.querySelectorAll('span.notranslate')) {
      const name = cleanName(span.textContent);
      if (name) return name;
    }
    return selfName(tile);
  },
  keyOf(el) {
    const tile = tileOf(el);
    for (const attr of ID_ATTRS) {
      const key = siteKey('meet', tile?.getAttribute(attr));
      if (key) return key;
    }
    return undefined;
  },
};
