/**
 * Who a tile shows and where it is: the participant's name as the page shows it (the site's
 * adapter, else the generic rule) and the tile's box in page coordinates. Both are read again
 * only every few seconds: names rarely change, and the box is wanted only when the tile's video
 * leaves the page (DepartedTiles), so neither is read on every sampled frame.
 */
import type { Rect } from './geometry';
import type { TileElement } from './overlay';
import { participantOf } from './sites';

export interface TileIdentity {
  name: string | undefined;
  /** In page coordinates (the viewport's box plus the scroll offsets). */
  box: Rect;
  /** When it was read (performance.now()). */
  at: number;
}

/** How often a tile's name and place are read again (ms). */
export const IDENTITY_REFRESH_MS = 3000;

/** The tile's box in page coordinates. */
export function tileBox(tile: TileElement, doc: Document): Rect {
  const r = tile.getBoundingClientRect();
  const view = doc.defaultView;
  return {
    x: r.left + (view?.scrollX ?? 0),
    y: r.top + (view?.scrollY ?? 0),
    width: r.width,
    height: r.height,
  };
}

/** The tile's name, the site's key for its participant (when the site has one), and its place, now. */
export function readTile(
  tile: TileElement,
  doc: Document,
  now: number,
): { key: string | undefined; identity: TileIdentity } {
  const { name, key } = participantOf(tile, doc.location.hostname);
  return { key, identity: { name, box: tileBox(tile, doc), at: now } };
}

/** `last` while it is recent, else the tile read again. */
export function freshIdentity(
  tile: TileElement,
  doc: Document,
  last: TileIdentity | undefined,
  now: number,
): TileIdentity {
  if (last !== undefined && now - last.at < IDENTITY_REFRESH_MS) return last;
  return readTile(tile, doc, now).identity;
}
