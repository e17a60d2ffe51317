/**
 * The tile's own participant among the faces of one source: its primary track. Each tile (video)
 * shows one participant; other faces in it (a poster, someone walking past) are sub-participants.
 *
 * - The first face(s) of a tile: the largest, most central one becomes the primary.
 * - An established primary keeps its place against any newer face, however large or central, and
 *   through short gaps (`holdMs`): in a frame where the detector misses it, no face is primary.
 * - A face that appears during the gap where the primary was last seen is the primary back (the
 *   tracker forgets a face after its own, shorter, memory and gives it a new track id).
 * - After a longer gap the next new face becomes the primary: the person who comes back continues
 *   as the tile's participant. A sub-participant is never promoted, so a face keeps one identity
 *   for as long as its track lives.
 *
 * Relies on the tracker's ids only growing: a track id above every id seen before is a new face.
 */
import { memoryMs, type Box } from './tracking';

export interface PrimaryOptions {
  /** How long an unseen primary keeps its place (ms); longer than the tracker's memory. */
  holdMs: number;
  /** During the hold, a new face this close (centre distance in face sizes) is the primary back. */
  maxReturnDistance: number;
}

export const DEFAULT_PRIMARY: PrimaryOptions = { holdMs: 5000, maxReturnDistance: 1.5 };

export interface TrackedFace {
  trackId: number;
  box: Box;
}

/** Higher for a larger face nearer the frame's centre: side x (1 - distance / half-diagonal)^2. */
export function primaryScore(box: Box, frame: { width: number; height: number }): number {
  const dx = box.x + box.width / 2 - frame.width / 2;
  const dy = box.y + box.height / 2 - frame.height / 2;
  const off = Math.min(1, Math.hypot(dx, dy) / Math.max(1e-6, Math.hypot(frame.width, frame.height) / 2));
  return Math.sqrt(box.width * box.height) * (1 - off) ** 2;
}

function returnDistance(last: Box, box: Box): number {
  const dx = last.x + last.width / 2 - (box.x + box.width / 2);
  const dy = last.y + last.height / 2 - (box.y + box.height / 2);
  return Math.hypot(dx, dy) / Math.max(1e-6, Math.sqrt(last.width * last.height));
}

export class PrimaryTrack {
  private primary: { trackId: number; box: Box; lastSeen: number } | undefined;
  /** The highest track id seen so far: any id above it is a new face. */
  private newest = 0;
  private lastUpdate: number | undefined;

  constructor(private readonly options: PrimaryOptions = DEFAULT_PRIMARY) {}

  /** Which of this frame's faces (same order) is the tile's primary: at most one. */
  update(faces: readonly TrackedFace[], frame: { width: number; height: number }, now: number): boolean[] {
    const holdMs = memoryMs(this.options.holdMs, now - (this.lastUpdate ?? now));
    this.lastUpdate = now;
    const fresh = faces.filter((f) => f.trackId > this.newest);
    this.newest = Math.max(this.newest, ...faces.map((f) => f.trackId));
    const p = this.primary;
    let chosen = p && faces.find((f) => f.trackId === p.trackId);
    if (!chosen && p && now - p.lastSeen <= holdMs) {
      const back = fresh
        .map((f) => ({ f, d: returnDistance(p.box, f.box) }))
        .filter((c) => c.d <= this.options.maxReturnDistance)
        .sort((a, b) => a.d - b.d)[0];
      chosen = back?.f;
    } else if (!chosen) {
      chosen = fresh
        .map((f) => ({ f, score: primaryScore(f.box, frame) }))
        .sort((a, b) => b.score - a.score)[0]?.f;
    }
    if (chosen) this.primary = { trackId: chosen.trackId, box: chosen.box, lastSeen: now };
    return faces.map((f) => f === chosen);
  }
}
