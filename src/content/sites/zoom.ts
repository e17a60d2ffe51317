/**
 * Zoom's web client (app.zoom.us, the bare zoom.us and every *.zoom.us host). Sources:
 * - Vexa-ai/vexa core/meetings/modules/zoom-capture/src/zoom-speakers.ts and
 *   join/src/zoom/selectors.ts (4647c96e07757d022b9e04ed41de40f89c8462ec): frames
 *   `.speaker-active-container__video-frame`, `.speaker-bar-container__video-frame`, the name
 *   in `.video-avatar__avatar-footer` > `span` (else the footer's text).
 * - Meeting-BaaS/meet-teams-bot src/meeting/zoom/speakersObserver.ts
 *   (3749f08c632fbb59a56b828d193c06090d3c1191): also `.single-main-container__video-frame` (what
 *   Zoom rendered in 2026-07 live forensics) and `.gallery-video-container__video-frame`; roster
 *   names carry "(Host)", "(Co-host)", "(Guest)", "(me)" qualifiers.
 * - attendee-labs/attendee bots/zoom_web_bot_adapter/zoom_web_chromedriver_payload.js
 *   (72ec641f1cc6bb4684bf934d2b4c9534ec080a3a): video is drawn by `<video-player node-id=…>`
 *   elements; a player holds a `<video>`, or only a `<canvas>` inside the open shadow root of its
 *   container (`video-player-container`); node-id identifies the participant (its low 10 bits mark
 *   a screen share, so a share keeps its own key).
 * `.video-avatar__avatar-name` (a last fallback) appears in several public Zoom scrapers in the code
 * store whose repositories it does not name; the avatar image's alt text of the old adapter had no
 * source that could be found, and was dropped.
 * The frames with the names are laid over the players, not around them: when closest() finds no
 * frame, the frame whose box contains the player's centre is taken, provided the element is not
 * much larger than that frame (a canvas shared by the whole gallery is never one person).
 */
import { composedClosest } from './dom';
import { firstName } from './names';
import { siteKey, type SiteAdapter } from './types';

const FRAME = '[class*="__video-frame"]';
const PLAYER = 'video-player';

/** The <video-player> drawing this element: an ancestor, or the only one of its container. */
function playerOf(el: HTMLElement): HTMLElement | null {
  const player = composedClosest(el, PLAYER);
  if (player) return player;
  const root = el.getRootNode();
  if (!(root instanceof ShadowRoot)) return null;
  const players = root.host.querySelectorAll<HTMLElement>(PLAYER);
  return players.length === 1 ? (players[0] ?? null) : null;
}

/** The smallest frame whose box contains the centre of `target`'s box. */
function frameByCentre(target: HTMLElement): HTMLElement | null {
  const box = target.getBoundingClientRect();
  if (box.width <= 0 || box.height <= 0) return null;
  const cx = box.left + box.width / 2;
  const cy = box.top + box.height / 2;
  let best: HTMLElement | null = null;
  let bestArea = Infinity;
  for (const frame of target.ownerDocument.querySelectorAll<HTMLElement>(FRAME)) {
    const r = frame.getBoundingClientRect();
    const area = r.width * r.height;
    if (area <= 0 || cx < r.left || cx > r.right || cy < r.top || cy > r.bottom) continue;
    if (box.width * box.height > 2 * area) continue;
    if (area < bestArea) [best, bestArea] = [frame, area];
  }
  return best;
}

function frameOf(el: HTMLElement): HTMLElement | null {
  const player = playerOf(el);
  return (
    composedClosest(el, FRAME) ?? (player && composedClosest(player, FRAME)) ?? frameByCentre(player ?? el)
  );
}

export const zoom: SiteAdapter = {
  id: 'zoom',
  matches: (host) => host === 'zoom.us' || host.endsWith('.zoom.us'),
  nameOf(el) {
    const frame = frameOf(el);
    const footer = frame?.querySelector('.video-avatar__avatar-footer');
    return firstName(
      footer?.querySelector('span')?.textContent,
      footer?.textContent,
      frame?.querySelector('.video-avatar__avatar-name')?.textContent,
    );
  },
  keyOf(el) {
    const id = playerOf(el)?.getAttribute('node-id');
    return id && /^\d{1,15}$/.test(id) ? siteKey('zoom', id) : undefined;
  },
};
