/**
 * The page's tiles as the engine's sources: each tile's source id and sampling state. A video the
 * page re-creates keeps its participant's id: by the site's participant key where it has one, else
 * by taking over a tile that just left in the same place with the same name (DepartedTiles).
 */
import { DepartedTiles } from './departed-tiles';
import type { TileElement } from './overlay';
import { freshIdentity, readTile, type TileIdentity } from './tile-identity';

export interface SourceState {
  id: string;
  inFlight: boolean;
  lastSent: number;
  /** Unreadable (cross-origin, DRM) until this time. */
  skipUntil: number;
  /** Why its frames cannot be read, while they cannot. */
  unreadable?: string | undefined;
  /** Black frames in a row (a protected video plays as black; a camera may be dark for a moment). */
  blackRun: number;
  /** Frames the video has presented (requestVideoFrameCallback), and the count at the last sample. */
  presented?: number;
  sampledAt?: number;
  /** When it was last sampled with no new frame (a frozen video is looked at again now and then). */
  lastStale: number;
  /** The participant's name and the tile's place as last read (remembered when the tile leaves). */
  identity?: TileIdentity;
}

/**
 * Counts the frames a video presents, through requestVideoFrameCallback, until `signal` aborts.
 * A video that presents no new frame (a frozen stream, a stopped camera) is not sampled again:
 * its last frame was already analysed.
 */
export function countPresentedFrames(video: HTMLVideoElement, s: SourceState, signal: AbortSignal): void {
  if (typeof video.requestVideoFrameCallback !== 'function') return;
  s.presented = 0;
  const onFrame: VideoFrameRequestCallback = (_now, meta) => {
    s.presented = meta.presentedFrames;
    if (!signal.aborted) video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
}

export class TileSources {
  /** Tiles that have been seen; a tile that leaves the page is dropped (and forgotten by the engine). */
  private readonly sources = new Map<TileElement, SourceState>();
  private nextSource = 1;
  /** Source ids by the site's participant key: a re-created <video> keeps its participant. */
  private readonly keyed = new Map<string, string>();
  /** Without a key: tiles that left, for a video re-created in the same place with the same name. */
  private readonly departed = new DepartedTiles();

  /**
   * `prefix` begins every id; `running` is the signal of analysis in progress, while it is (a new
   * video's presented frames are counted until it aborts).
   */
  constructor(
    private readonly doc: Document,
    private readonly prefix: string,
    private readonly running: () => AbortSignal | undefined,
  ) {}

  get(tile: TileElement): SourceState | undefined {
    return this.sources.get(tile);
  }

  entries(): IterableIterator<[TileElement, SourceState]> {
    return this.sources.entries();
  }

  /** The tile's source, made when it is first seen. */
  of(tile: TileElement): SourceState {
    let s = this.sources.get(tile);
    if (s) return s;
    const now = performance.now();
    const { key, identity } = readTile(tile, this.doc, now);
    let id = key === undefined ? undefined : this.keyed.get(key);
    // the participant's previous video may still be listed while the client swaps elements
    if (id !== undefined && [...this.sources.values()].some((x) => x.id === id)) id = undefined;
    // no site key: a video re-created where a tile just left, with its name, continues that tile
    if (key === undefined) id = this.departed.claim(identity.name, identity.box, now);
    id ??= `${this.prefix}v${this.nextSource++}`;
    if (key !== undefined) this.keyed.set(key, id);
    s = {
      id,
      inFlight: false,
      lastSent: -Infinity,
      skipUntil: 0,
      blackRun: 0,
      lastStale: -Infinity,
      identity,
    };
    this.sources.set(tile, s);
    const signal = this.running();
    if (tile instanceof HTMLVideoElement && signal) countPresentedFrames(tile, s, signal);
    return s;
  }

  /** The participant's name on the tile, read again every few seconds (with the tile's place). */
  nameOf(tile: TileElement, s: SourceState, now: number): string | undefined {
    s.identity = freshIdentity(tile, this.doc, s.identity, now);
    return s.identity.name;
  }

  /**
   * Tiles that left the page (videos no longer in `videos`, other tiles no longer connected): each
   * is remembered a while for a video re-created in its place. Their source ids, for the engine to
   * forget.
   */
  dropGone(videos: ReadonlySet<HTMLVideoElement>): string[] {
    const gone: string[] = [];
    const now = performance.now();
    for (const [tile, s] of this.sources)
      if (tile instanceof HTMLVideoElement ? !videos.has(tile) : !tile.isConnected) {
        this.sources.delete(tile);
        gone.push(s.id);
        if (s.identity)
          this.departed.remember({ id: s.id, name: s.identity.name, box: s.identity.box, leftAt: now });
      }
    return gone;
  }
}
