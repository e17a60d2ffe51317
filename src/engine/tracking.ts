/**
 * Face tracking across the frames of one source: each new detection is matched to an existing
 * track by overlap (IoU) or, failing that, by how close the centres are relative to the face size;
 * unmatched detections start new tracks; tracks not seen for `maxAgeMs` expire. Greedy matching
 * by best score is enough for the few faces of a video tile.
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TrackerOptions {
  /** IoU above which a detection may continue a track. */
  minIou: number;
  /** Otherwise: centre distance, as a fraction of the track's face size, below which it may. */
  maxCentreDistance: number;
  /** A track unseen for this long expires. */
  maxAgeMs: number;
}

export const DEFAULT_TRACKER: TrackerOptions = { minIou: 0.3, maxCentreDistance: 0.6, maxAgeMs: 2000 };

export interface Track {
  id: number;
  box: Box;
  lastSeen: number;
  hits: number;
}

export function iou(a: Box, b: Box): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width);
  const y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

function centreDistance(a: Box, b: Box): number {
  const dx = a.x + a.width / 2 - (b.x + b.width / 2);
  const dy = a.y + a.height / 2 - (b.y + b.height / 2);
  return Math.hypot(dx, dy) / Math.max(1e-6, Math.sqrt(a.width * a.height));
}

/**
 * How long to remember a face, given the time since the source's previous frame: at least the
 * configured time, and at least three frames when frames come slowly (a busy engine, many tiles),
 * counting a frame as at most 5 s (a paused source does not make every face unforgettable).
 */
export function memoryMs(baseMs: number, frameIntervalMs: number): number {
  return Math.max(baseMs, 3 * Math.min(frameIntervalMs, 5000));
}

export class Tracker {
  private tracks: Track[] = [];
  private nextId = 1;
  private lastUpdate: number | undefined;

  constructor(private readonly options: TrackerOptions = DEFAULT_TRACKER) {}

  /** Assigns a track id to each box (same order) and expires old tracks. */
  update(boxes: readonly Box[], now: number): number[] {
    const maxAge = memoryMs(this.options.maxAgeMs, now - (this.lastUpdate ?? now));
    this.lastUpdate = now;
    this.tracks = this.tracks.filter((t) => now - t.lastSeen <= maxAge);
    const candidates: { score: number; track: number; box: number }[] = [];
    this.tracks.forEach((t, ti) =>
      boxes.forEach((b, bi) => {
        const overlap = iou(t.box, b);
        const near = centreDistance(t.box, b);
        if (overlap >= this.options.minIou) candidates.push({ score: 1 + overlap, track: ti, box: bi });
        else if (near <= this.options.maxCentreDistance)
          candidates.push({ score: 1 - near, track: ti, box: bi });
      }),
    );
    candidates.sort((a, b) => b.score - a.score);
    const ids = new Array<number>(boxes.length).fill(0);
    const usedTracks = new Set<number>();
    for (const c of candidates) {
      if (usedTracks.has(c.track) || ids[c.box] !== 0) continue;
      usedTracks.add(c.track);
      const track = this.tracks[c.track] as Track;
      track.box = boxes[c.box] as Box;
      track.lastSeen = now;
      track.hits++;
      ids[c.box] = track.id;
    }
    boxes.forEach((b, i) => {
      if (ids[i] !== 0) return;
      const track: Track = { id: this.nextId++, box: b, lastSeen: now, hits: 1 };
      this.tracks.push(track);
      ids[i] = track.id;
    });
    return ids;
  }

  get active(): readonly Track[] {
    return this.tracks;
  }
}
