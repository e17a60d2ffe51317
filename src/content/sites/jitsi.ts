/**
 * Jitsi Meet (meet.jit.si and self-hosted). Source: jitsi/jitsi-meet,
 * react/features/filmstrip/components/web/Thumbnail.tsx (tile `span.videocontainer`,
 * id `participant_<endpointId>` or `localVideoContainer`, the <video> inside),
 * ThumbnailBottomIndicators.tsx + display-name/components/web/DisplayName.tsx (name in
 * `span.displayname`, id `participant_<id>_name` / `localDisplayName`), and Jitsi's own UI tests
 * (tests/pageobjects/Filmstrip.ts) which select the same ids. The large stage video
 * (`#largeVideo`) has no name of its own: the generic rule answers for it.
 */
import { cleanName, type SiteAdapter } from './types';

const tileOf = (video: HTMLElement) => video.closest<HTMLElement>('.videocontainer');

export const jitsi: SiteAdapter = {
  id: 'jitsi',
  matches: (host) => host === 'meet.jit.si' || host.endsWith('.jitsi.net') || host.startsWith('jitsi.'),
  nameOf(video) {
    const tile = tileOf(video);
    return cleanName(tile?.querySelector('.displayname')?.textContent);
  },
  keyOf(video) {
    const id = tileOf(video)?.id;
    if (!id) return undefined;
    if (id.startsWith('localVideoContainer')) return 'jitsi:local';
    const m = /^participant_([^_]+)/.exec(id);
    return m ? `jitsi:${m[1] ?? ''}` : undefined;
  },
};
