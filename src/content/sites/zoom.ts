/**
 * Zoom's web client. Sources: Vexa-ai/vexa services/vexa-bot/core/src/platforms/zoom/web/
 * selectors.ts ("verified from live DOM": name in `.video-avatar__avatar-footer > span`),
 * aws-samples/amazon-transcribe-live-meeting-assistant providers/zoom.js (falls back to
 * `.video-avatar__avatar-name` and the avatar image's alt), Meeting-BaaS/meet-teams-bot
 * src/meeting/zoom (speaker view `.single-main-container__video-frame` with a <video-player> holding
 * a real <video>). Older builds draw every tile into one shared canvas (`.multi-view__canvas`):
 * there is no <video> to find, and only tab-capture mode can read those tiles.
 */
import { firstName, type SiteAdapter } from './types';

const FRAME = '[class*="__video-frame"], .video-avatar__avatar';

export const zoom: SiteAdapter = {
  id: 'zoom',
  matches: (host) => host === 'app.zoom.us' || host.endsWith('.zoom.us'),
  nameOf(video) {
    const frame = video.closest<HTMLElement>(FRAME);
    if (!frame) return undefined;
    return firstName(
      frame.querySelector('.video-avatar__avatar-footer span')?.textContent,
      frame.querySelector('.video-avatar__avatar-footer')?.textContent,
      frame.querySelector('.video-avatar__avatar-title')?.textContent,
      frame.querySelector('.video-avatar__avatar-name')?.textContent,
      frame.querySelector('img.video-avatar__avatar-img')?.getAttribute('alt'),
    );
  },
};
