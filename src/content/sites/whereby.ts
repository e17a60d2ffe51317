/**
 * Whereby. Sources (2020-21 era; the newest public evidence found): runeh/whereby-pip-extension
 * src/content-script.ts (tiles `.jstest-client-video`, name `[class|=nameBanner]`, the <video>
 * inside), KYSergey/whereby-ext whereby.js (`.WebRtcVideo` tiles). Tiles carry `data-clientid`,
 * and small overflow cells a `title` with the name.
 */
import { cleanName, firstName, type SiteAdapter } from './types';

const tileOf = (video: HTMLElement) => video.closest<HTMLElement>('.jstest-client-video, .WebRtcVideo');

export const whereby: SiteAdapter = {
  id: 'whereby',
  matches: (host) => host === 'whereby.com' || host.endsWith('.whereby.com'),
  nameOf(video) {
    const tile = tileOf(video);
    if (!tile) return undefined;
    const banner = tile.querySelector('.jstest-displayname, [class|=nameBanner]');
    // the local tile's banner holds an editable field
    const editable = banner?.querySelector('input');
    return firstName(editable?.value, banner?.textContent, tile.title);
  },
  keyOf(video) {
    const id = cleanName(tileOf(video)?.dataset.clientid);
    return id ? `whereby:${id}` : undefined;
  },
};
