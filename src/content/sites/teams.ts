/**
 * Microsoft Teams (new client and classic). Sources: Meeting-BaaS/meet-teams-bot
 * src/meeting/teams/participant-name.ts and speakersObserver.ts, joinly-ai/joinly
 * joinly/providers/browser/platforms/teams.py. A tile is `[data-tid="stage-layout"]
 * [role="menuitem"]`, `[data-stream-type="Video"]` or, in classic Teams,
 * `[data-cid="calling-participant-stream"]`. The name: `[data-tid="participant-info-nametag"]`,
 * else the tile's aria-label up to its first comma ("Alice External, video is on, …"). Teams'
 * data-tid may hold an e-mail address on some builds, so it is never used, and no key is taken.
 */
import { firstName, type SiteAdapter } from './types';

const TILE =
  '[data-tid="stage-layout"] [role="menuitem"], [data-stream-type="Video"], [data-cid="calling-participant-stream"]';
const BADGES = /\s+(External|Unfamiliar|Guest|Unverified|\(Guest\)|\(Unverified\)|\(External\))+$/i;

export const teams: SiteAdapter = {
  id: 'teams',
  matches: (host) =>
    host === 'teams.microsoft.com' || host === 'teams.live.com' || host === 'teams.cloud.microsoft',
  nameOf(video) {
    const tile = video.closest<HTMLElement>(TILE);
    if (!tile) return undefined;
    const fromLabel = tile.getAttribute('aria-label')?.split(',')[0]?.replace(BADGES, '');
    const name = firstName(
      tile.querySelector('[data-tid="participant-info-nametag"]')?.textContent,
      fromLabel,
    );
    return name && !name.includes('@') ? name : undefined;
  },
};
