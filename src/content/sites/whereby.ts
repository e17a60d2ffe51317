/**
 * Whereby. Sources:
 * - runeh/whereby-pip-extension src/content-script.ts (71a3d6ac66c0ad64eafa783f0fff461ffd214a08,
 *   2020): tiles `.jstest-client-video` (the local one also `.jstest-local-client-video`), the
 *   <video> inside, the name in `[class|=nameBanner]`, `data-clientid`.
 * - KYSergey/whereby-ext whereby.js (6f840891505656c07b4a08be60f50c379d0e7f85, 2020): `.WebRtcVideo`
 *   tiles; the local tile holds an editable name (`[class*="editableText"]`).
 * - Whereby's own WebRtcVideo component, a public copy of which is in the code store without a
 *   repository name (so not citable by repository): `div.WebRtcVideo.jstest-client-video
 *   [data-clientid]` with the banner `.jstest-displayname`; overflow cells
 *   `.WebRtcOverflowVideo.jstest-client-video[data-clientid]` whose `title` is the name, with
 *   " (is recording)" appended while recording; "Guest" and, on the local tile, "Guest (you)"
 *   are placeholders; the media node is moved between cells, never re-created.
 * - whereby/sdk packages/core/src/redux/slices/room.ts (0a4759255da64581740e99a0ebcb986aba6975bd):
 *   a client without a name is "Guest"; screen shares are "Screenshare (<name>)", "Your screenshare".
 */
import { firstName } from './names';
import { siteKey, type SiteAdapter } from './types';

const TILE = '.jstest-client-video, .WebRtcVideo, [class*="WebRtcOverflowVideo"]';

const tileOf = (el: HTMLElement) => el.closest<HTMLElement>(TILE);

export const whereby: SiteAdapter = {
  id: 'whereby',
  matches: (host) => host === 'whereby.com' || host.endsWith('.whereby.com'),
  nameOf(el) {
    const tile = tileOf(el);
    if (!tile) return undefined;
    const banner = tile.querySelector('.jstest-displayname, [class|=nameBanner]');
    // the local tile's banner holds an editable field while the user renames themself
    const editing = banner?.querySelector('input');
    return firstName(editing?.value, banner?.textContent, tile.getAttribute('title'));
  },
  keyOf(el) {
    return siteKey('whereby', tileOf(el)?.dataset.clientid);
  },
};
