/**
 * Jitsi Meet, on any host (meet.jit.si, 8x8.vc, self-hosted domains, embeds): recognised by its
 * own DOM, not only by host name. Sources, all jitsi/jitsi-meet:
 * - react/features/filmstrip/components/web/Thumbnail.tsx (00a8decad3643f27d6fb6dc5cc08463dc8a2b763):
 *   a tile is `span.videocontainer`, id `participant_<id>` (suffixed `_<filmstripType>` outside
 *   the main filmstrip) or `localVideoContainer[_<type>]`; the <video> (`remoteVideo_<trackId>`)
 *   is a direct child, the local one (`localVideo_container`) sits in `span#localVideoWrapper`.
 * - ThumbnailBottomIndicators.tsx (12bd6a1d61132bd13c5c85a078f6d390c752883e) and
 *   display-name/components/web/DisplayName.tsx (10c919bf947de44d9ac1220669012822a94874e0):
 *   the name is `span.displayname#participant_<id>_name` (`#localDisplayName` for the local
 *   tile, with the suffix `(me)` appended by display-name/functions.ts appendSuffix, or the bare
 *   suffix when the user has no name); while the user edits it, `input#editDisplayName`.
 * - display-name/components/web/StageParticipantNameLabel.tsx: the large video's name is
 *   `[data-testid="stage-display-name"]`, inside `div.videocontainer#largeVideoContainer`
 *   (large-video LargeVideo.web.tsx) next to `#largeVideoWrapper > video#largeVideo`.
 * - interface_config.js: an unnamed remote participant is shown as "Fellow Jitster", the local
 *   one as "me" (both placeholders, refused by the name rule).
 * Vexa-ai/vexa core/meetings/modules/jitsi-capture/src/jitsi-speakers.ts reads the same
 * `.displayname` nodes. The large video changes hands with the dominant speaker, so it has no key.
 */
import { composedClosest } from './dom';
import { cleanName } from './names';
import { siteKey, type SiteAdapter } from './types';

const TILE = '.videocontainer';
const JITSI_DOM = '#largeVideoContainer, #localVideoContainer, span.videocontainer[id^="participant_"]';
const JITSI_HOSTS = /(?:^|\.)(?:meet\.jit\.si|8x8\.vc|jitsi\.net)$/;
const FILMSTRIP_SUFFIX = /_[a-z]+$/; // main filmstrip: none; stage / screenshare filmstrips: _stage, _screenshare

const tileOf = (el: HTMLElement) => composedClosest(el, TILE);
const isLarge = (tile: HTMLElement) => tile.id === 'largeVideoContainer';
const isLocal = (tile: HTMLElement) => tile.id.startsWith('localVideoContainer');

export const jitsi: SiteAdapter = {
  id: 'jitsi',
  matches: (host, doc) => JITSI_HOSTS.test(host) || !!doc?.querySelector(JITSI_DOM),
  nameOf(el) {
    const tile = tileOf(el);
    if (!tile) return undefined;
    if (isLarge(tile))
      return cleanName(tile.querySelector('[data-testid="stage-display-name"]')?.textContent);
    const editing = tile.querySelector<HTMLInputElement>('input#editDisplayName');
    if (editing) return cleanName(editing.value);
    let text = tile.querySelector('.displayname')?.textContent ?? '';
    // the local tile's suffix is whatever DEFAULT_LOCAL_DISPLAY_NAME a deployment configured
    if (isLocal(tile)) text = text.replace(/\s*\([^()]{1,24}\)\s*$/, '');
    return cleanName(text);
  },
  keyOf(el) {
    const tile = tileOf(el);
    if (!tile || isLarge(tile)) return undefined;
    if (isLocal(tile)) return 'jitsi:local';
    const m = /^participant_(.+)$/.exec(tile.id);
    return siteKey('jitsi', m?.[1]?.replace(FILMSTRIP_SUFFIX, ''));
  },
};
