/**
 * Microsoft Teams (new web client; classic tiles too). Sources:
 * - Meeting-BaaS/meet-teams-bot src/meeting/teams/participant-name.ts and its test
 *   (87ed2d7a2db1db11a63138e4b80ab350f77b6f90, "read from a live meeting"): a tile's `data-tid`
 *   and its `[data-tid="participant-info-nametag"]` hold the name alone; the aria-label reads
 *   "Alice External unfamiliar, video is on, Context menu is available"; data-tid is also used for
 *   structural nodes ("menur1j", "participant-info", "calling-stream", "…-stream", "…-outline")
 *   and may hold an e-mail address; "(Guest)", "(Unverified)" are qualifiers.
 * - Meeting-BaaS src/meeting/teams/speakersObserver.ts (0acaebb95219ea3d2899d06f0a029e08595fdaac):
 *   tiles are `[data-stream-type="Video"]` (new), `[data-cid="calling-participant-stream"]`
 *   (classic, name = aria-label before ", muted," / ", video is on,"), `[data-tid="menur1j"]`
 *   (Teams live); some builds render the call inside a same-origin iframe.
 * - Vexa-ai/vexa core/meetings/modules/teams-capture/src/msteams-speakers.ts
 *   (4647c96e07757d022b9e04ed41de40f89c8462ec): the stream wrapper `[data-stream-type][data-tid]`
 *   carries the display name in data-tid; machine tokens ("video-stream-2",
 *   "voice-level-stream-outline", "videoTile"), control labels and placeholders ("Unknown user")
 *   are never names.
 * Every ancestor of the element that still belongs to its tile is asked, nearest first: first for
 * a nametag, then for a data-tid that is a name, then for an aria-label's first clause with all
 * trailing badges stripped. No public source shows a participant id on the tile: no key.
 */
import { tileAncestors } from './dom';
import { cleanName, labelName } from './names';
import type { SiteAdapter } from './types';

const NAMETAG = '[data-tid="participant-info-nametag"]';
/** Structural data-tid values (Meeting-BaaS isStructuralTid, widened with Vexa's tokens). */
const STRUCTURAL_TID =
  /^(?:roster|participant|calling|video|voice|menu|stage|stream)[\w-]*$|-(?:stream|outline)$/i;

function tidName(el: HTMLElement): string | undefined {
  const tid = el.getAttribute('data-tid');
  if (!tid || tid.includes('@') || STRUCTURAL_TID.test(tid.trim())) return undefined;
  return cleanName(tid);
}

export const teams: SiteAdapter = {
  id: 'teams',
  matches: (host) =>
    host === 'teams.microsoft.com' ||
    host === 'teams.live.com' ||
    host === 'teams.cloud.microsoft' ||
    host.endsWith('.teams.microsoft.com'),
  nameOf(el) {
    const tile = tileAncestors(el);
    for (const anc of tile) {
      const tags = anc.querySelectorAll(NAMETAG);
      if (tags.length > 1) break; // a wrapper of several tiles
      const name = cleanName(tags[0]?.textContent);
      if (name) return name;
    }
    for (const anc of tile) {
      const name = tidName(anc);
      if (name) return name;
    }
    for (const anc of tile) {
      const name = labelName(anc.getAttribute('aria-label'));
      if (name) return name;
    }
    return undefined;
  },
};
