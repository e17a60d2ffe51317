import type {
  CaptureRegion,
  CaptureViewport,
  FrameReply,
  FrameResult,
  VideoReport,
} from '../shared/protocol';
import { FrameUnreadable } from './frame-capture';
import { BusyClock, type FrameTransport } from './transport';
import { FrameScheduler } from './frame-scheduler';
import { judgeVideo, videoFacts } from './eligibility';
import { DepartedTiles } from './departed-tiles';
import type { Rect } from './geometry';
import { measureVideo, OverlayLayer, type TileElement } from './overlay';
import { participantOf } from './sites';
import { collectCanvases, collectVideos, VideoFinder } from './video-finder';

/**
 * What the content script does in one page: keeps the set of videos, tells the background how
 * many are analysable, and, while analysis is on, keeps the overlay layer over each of them
 * (every animation frame, so scrolling, resizing, reflow and fullscreen are followed).
 */
export interface PageSessionOptions {
  doc: Document;
  signal: AbortSignal;
  /** Called when the number of videos changes. */
  report: (report: VideoReport) => void;
  /**
   * Makes the path sampled frames take to the engine (transport.ts), when analysis is switched on;
   * it is closed when analysis stops. Absent: no analysis (overlay layer only).
   */
  transport?: () => FrameTransport;
  /** Tab-capture mode: sends the tiles' places on screen (the engine cuts them from the tab's picture). */
  sendRegions?: (regions: CaptureRegion[], viewport: CaptureViewport) => void;
  /** Tells the engine that these sources' videos left the page (their tracks can go). */
  forget?: (sourceIds: string[]) => void;
  /**
   * Begins the id of every video this page names: a frame below the top one (an embedded call) names
   * its videos apart from the other frames of the tab, which share one session.
   */
  sourcePrefix?: string;
}

interface SourceState {
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
  /** The participant's name as last read from the tile, and when. */
  label?: { name: string | undefined };
  /** The tile's name and page box when it was last sampled (DepartedTiles). */
  place?: { name: string | undefined; box: Rect };
  labelAt: number;
}

/** How often a tile's participant name is read again (ms). */
const LABEL_REFRESH_MS = 3000;

/** A video that presents no new frame is still sampled this often (ms), in case the count stalls. */
const STALE_RESAMPLE_MS = 10_000;

/**
 * Counts the frames a video presents, through requestVideoFrameCallback, until `signal` aborts.
 * A video that presents no new frame (a frozen stream, a stopped camera) is not sampled again:
 * its last frame was already analysed.
 */
function countPresentedFrames(video: HTMLVideoElement, s: SourceState, signal: AbortSignal): void {
  if (typeof video.requestVideoFrameCallback !== 'function') return;
  s.presented = 0;
  const onFrame: VideoFrameRequestCallback = (_now, meta) => {
    s.presented = meta.presentedFrames;
    if (!signal.aborted) video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
}

/** Black frames in a row before a video counts as unreadable. */
const BLACK_FRAMES = 4;

export class PageSession {
  private enabled = false;
  private overlay: OverlayLayer | undefined;
  private frame = 0;
  /** Follows the page's videos while analysis is on; off, nothing watches the page. */
  private finder: VideoFinder | undefined;
  /** Aborted when analysis stops: the finder and the presented-frame counters end with it. */
  private running: AbortController | undefined;
  private readonly resizes: ResizeObserver;
  private lastReport = '';
  private readonly scheduler = new FrameScheduler();
  /** Videos that have been sampled; a video that leaves the page is dropped (and forgotten by the engine). */
  private readonly sources = new Map<TileElement, SourceState>();
  private nextSource = 1;
  /** Source ids by the site's participant key: a re-created <video> keeps its participant. */
  private readonly keyed = new Map<string, string>();
  /** Without a key: tiles that left, for a video re-created in the same place with the same name. */
  private readonly departed = new DepartedTiles();
  private samplerTimer: ReturnType<typeof setTimeout> | undefined;
  private overlayStyle: 'full' | 'compact' = 'full';
  private transport: FrameTransport | undefined;
  /** The analysable videos as the last animation frame measured them. */
  private measured: { at: number; videos: HTMLVideoElement[] } = { at: -Infinity, videos: [] };
  /** Tab-capture mode: regions go to the engine instead of frames; canvases count as tiles. */
  private capture = false;
  private regionsTimer: ReturnType<typeof setInterval> | undefined;
  private lastRegions = '';
  private lastRegionsAt = 0;
  /** Page main-thread time of the overlay's per-animation-frame upkeep, reported once a second. */
  private overlayBusy = { ms: 0, ticks: 0, since: 0 };

  constructor(private readonly options: PageSessionOptions) {
    this.resizes = new ResizeObserver(() => this.pushReport());
    const onVisibility = () => {
      if (this.enabled) this.pushReport();
    };
    options.doc.addEventListener('fullscreenchange', () => this.overlay?.attach(), {
      signal: options.signal,
    });
    options.doc.addEventListener('visibilitychange', onVisibility, { signal: options.signal });
    options.signal.addEventListener('abort', () => {
      this.resizes.disconnect();
      this.setEnabled(false);
    });
  }

  /** The page's videos: the finder's while analysis is on, else a one-shot scan (the popup asked). */
  private videos(): ReadonlySet<HTMLVideoElement> {
    return this.finder?.current ?? collectVideos(this.options.doc);
  }

  analysable(videos = this.videos()): HTMLVideoElement[] {
    return [...videos].filter((v) => judgeVideo(videoFacts(v)).ok);
  }

  /** `analysable`: the list this animation frame measured already, if any. */
  report(analysable?: HTMLVideoElement[]): VideoReport {
    const seen = this.videos();
    analysable ??= this.analysable(seen);
    return {
      videos: analysable.length,
      videosSeen: seen.size,
      enabled: this.enabled,
      url: this.options.doc.location.href,
      // the background refuses longer titles (src/shared/message-schemas.ts)
      title: this.options.doc.title.slice(0, 1000),
      ...this.unreadable(analysable),
      transport: this.transport?.name,
      transportNote: this.transport?.note,
    };
  }

  /** Watches the page and its videos (analysis on), or stops watching them (off). */
  private watchVideos(on: boolean): void {
    this.running?.abort();
    this.running = undefined;
    this.finder = undefined;
    this.resizes.disconnect();
    if (!on) return;
    const running = new AbortController();
    this.running = running;
    const follow = (videos: ReadonlySet<HTMLVideoElement>) => {
      this.resizes.disconnect();
      for (const v of videos) this.resizes.observe(v);
      this.dropGone(videos);
    };
    // the session's end switches analysis off, which stops it
    this.finder = new VideoFinder(this.options.doc, {
      signal: running.signal,
      onChange: (videos) => {
        follow(videos);
        this.pushReport();
      },
    });
    follow(this.finder.current);
    for (const [tile, s] of this.sources)
      if (tile instanceof HTMLVideoElement) countPresentedFrames(tile, s, running.signal);
  }

  /** The user's settings for this page: sampling rate per video and overlay style. */
  configure({
    samplingRate,
    frameBudget,
    overlayStyle,
  }: {
    samplingRate: number;
    frameBudget: number;
    overlayStyle: 'full' | 'compact';
  }): void {
    this.scheduler.configure({ perVideoFps: samplingRate, budgetFps: frameBudget });
    this.overlayStyle = overlayStyle;
    this.overlay?.setStyle(overlayStyle);
  }

  /** Makes the frame path again (its settings changed), if analysis is on. */
  renewTransport(): void {
    this.transport?.close();
    this.transport = this.enabled ? this.options.transport?.() : undefined;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  setEnabled(on: boolean): void {
    if (on === this.enabled || (on && this.options.signal.aborted)) return;
    this.enabled = on;
    this.watchVideos(on);
    if (on) {
      this.overlay = new OverlayLayer(this.options.doc);
      this.overlay.setStyle(this.overlayStyle);
      this.transport = this.options.transport?.();
      this.tick();
      this.sample();
    } else {
      cancelAnimationFrame(this.frame);
      clearTimeout(this.samplerTimer);
      this.setCapture(false);
      this.transport?.close();
      this.transport = undefined;
      this.overlay?.destroy();
      this.overlay = undefined;
    }
    this.pushReport();
  }

  private readonly tick = (): void => {
    if (!this.enabled || !this.overlay) return;
    const start = performance.now();
    const tiles = this.tiles();
    // the sampler reuses this frame's list rather than measuring every video again
    this.measured = { at: start, videos: tiles.filter((t) => t instanceof HTMLVideoElement) };
    this.overlay.update(tiles);
    this.pushReport(this.measured.videos);
    this.frame = requestAnimationFrame(this.tick);
    if (__MOODLENS_DEV__) this.timeOverlay(start);
  };

  /** Development builds: the overlay upkeep's main-thread time per second, in the page's timeline. */
  private timeOverlay(start: number): void {
    const now = performance.now();
    const b = this.overlayBusy;
    b.ms += now - start;
    b.ticks++;
    if (b.since === 0) b.since = start;
    if (now - b.since < 1000) return;
    performance.measure('moodlens:overlay', {
      start: b.since,
      end: now,
      detail: { busyMs: b.ms, ticks: b.ticks, videos: this.overlay?.size ?? 0 },
    });
    this.overlayBusy = { ms: 0, ticks: 0, since: 0 };
  }

  /** What carries a participant: the analysable videos, and in tab-capture mode canvases too. */
  private tiles(): TileElement[] {
    const videos: TileElement[] = this.analysable();
    if (!this.capture) return videos;
    const canvases = [...collectCanvases(this.options.doc)].filter((c) => judgeVideo(videoFacts(c)).ok);
    return [...videos, ...canvases];
  }

  /**
   * Tab-capture mode on or off. On: the sampling loop stops, and the tiles' places on screen are
   * sent twice a second when they changed (every 5 s regardless); results come to showCaptureResult.
   */
  setCapture(on: boolean): void {
    if (on === this.capture) return;
    this.capture = on;
    clearInterval(this.regionsTimer);
    clearTimeout(this.samplerTimer);
    this.lastRegions = '';
    if (on) {
      this.regionsTimer = setInterval(() => this.pushRegions(), 500);
      this.pushRegions();
    } else if (this.enabled) {
      this.sample();
    }
  }

  private pushRegions(): void {
    if (!this.enabled || this.options.doc.hidden) return;
    const host = this.options.doc.location.hostname;
    const regions: CaptureRegion[] = this.tiles().map((el) => {
      const { box } = measureVideo(el);
      return {
        sourceId: this.source(el).id,
        rect: { x: box.x, y: box.y, width: box.width, height: box.height },
        label: participantOf(el, host).name,
      };
    });
    const view = this.options.doc.defaultView;
    const viewport: CaptureViewport = {
      width: view?.innerWidth ?? 0,
      height: view?.innerHeight ?? 0,
      devicePixelRatio: view?.devicePixelRatio ?? 1,
    };
    const key = JSON.stringify([regions, viewport]);
    const now = performance.now();
    if (key === this.lastRegions && now - this.lastRegionsAt < 5000) return;
    this.lastRegions = key;
    this.lastRegionsAt = now;
    this.options.sendRegions?.(regions, viewport);
  }

  /** Tab-capture mode: faces found in a tile's region of the tab's picture. */
  showCaptureResult(result: FrameResult): void {
    if (!this.enabled || !this.capture) return;
    for (const [el, s] of this.sources)
      if (s.id === result.sourceId)
        this.overlay?.showFaces(el, result.width, result.height, result.faces, s.id, 'screen');
  }

  private source(video: TileElement): SourceState {
    let s = this.sources.get(video);
    if (!s) {
      const key = participantOf(video, this.options.doc.location.hostname).key;
      let id = key === undefined ? undefined : this.keyed.get(key);
      // the participant's previous video may still be listed while the client swaps elements
      if (id !== undefined && [...this.sources.values()].some((x) => x.id === id)) id = undefined;
      // no site key: a video re-created where a tile just left, with its name, continues that tile
      if (key === undefined) id = this.departed.claim(...this.tileIdentity(video), performance.now());
      id ??= `${this.options.sourcePrefix ?? ''}v${this.nextSource++}`;
      if (key !== undefined) this.keyed.set(key, id);
      s = {
        id,
        inFlight: false,
        lastSent: -Infinity,
        skipUntil: 0,
        blackRun: 0,
        lastStale: -Infinity,
        labelAt: -Infinity,
      };
      this.sources.set(video, s);
      if (video instanceof HTMLVideoElement && this.running)
        countPresentedFrames(video, s, this.running.signal);
    }
    return s;
  }

  /** The sampling loop: one frame at a time per video, under the scheduler's rates; paused when hidden. */
  private readonly sample = (): void => {
    if (!this.enabled || !this.transport || this.capture) return;
    this.samplerTimer = setTimeout(this.sample, this.scheduler.interval);
    if (this.options.doc.hidden) return;
    const clock = new BusyClock();
    const now = performance.now();
    clock.run(() => this.pick(now, clock));
  };

  private pick(now: number, clock: BusyClock): void {
    const fresh = now - this.measured.at < 100 ? this.measured.videos : this.analysable();
    const videos = fresh.filter((v) => v.isConnected && !v.paused && !v.ended);
    const byId = new Map(videos.map((v) => [this.source(v).id, v]));
    const id = this.scheduler.next(
      now,
      videos
        .map((v) => this.source(v))
        // no new frame since the last sample: nothing new to analyse, but look again now and then
        .filter(
          (s) =>
            s.skipUntil <= now &&
            (s.presented === undefined ||
              s.presented !== s.sampledAt ||
              now - Math.max(s.lastSent, s.lastStale) >= STALE_RESAMPLE_MS),
        ),
    );
    const video = id === undefined ? undefined : byId.get(id);
    if (video) void this.analyse(video, now, clock);
  }

  private async analyse(video: HTMLVideoElement, now: number, clock: BusyClock): Promise<void> {
    const s = this.source(video);
    // where the tile is and what it is called, for a video the page re-creates in its place
    const [name, box] = this.tileIdentity(video);
    s.place = { name, box };
    const transport = this.transport;
    if (!transport) return;
    s.inFlight = true;
    s.lastSent = now;
    s.sampledAt = s.presented;
    let faces = 0;
    try {
      const meta = {
        sourceId: s.id,
        timestamp: Math.round(performance.timeOrigin + now),
        label: this.labelOf(video, s, now),
      };
      const reply = await transport.send(video, meta, clock);
      clock.run(() => {
        this.onReply(video, s, reply);
        faces = reply.kind === 'result' ? reply.faces.length : 0;
      });
    } catch (error) {
      // an unreadable video is skipped for a while; other failures surface through the report
      if (error instanceof FrameUnreadable)
        this.markUnreadable(s, error.kind === 'cross-origin' ? error.message : undefined);
    } finally {
      s.inFlight = false;
    }
    // development builds: each sampled frame in the page's own performance timeline (npm run bench)
    if (__MOODLENS_DEV__)
      performance.measure('moodlens:frame', {
        start: now,
        end: performance.now(),
        detail: { busyMs: clock.ms, transport: transport.name, faces, sourceId: s.id },
      });
  }

  private onReply(video: HTMLVideoElement, s: SourceState, reply: FrameReply): void {
    if (this.transportName !== this.transport?.name || this.transportNote !== this.transport?.note)
      this.pushReport();
    if (reply.kind === 'black') {
      // a protected video plays as black; a camera may be dark for a moment
      s.blackRun++;
      // looked at again soon: a few black frames in a row make it unreadable, one is a dark moment
      this.markUnreadable(s, s.blackRun >= BLACK_FRAMES ? 'the video shows only black' : s.unreadable, 1000);
      return;
    }
    s.blackRun = 0;
    if (reply.kind === 'unavailable' || reply.kind === 'dropped') return;
    this.markUnreadable(s, undefined, 0);
    if (this.enabled) this.overlay?.showFaces(video, reply.width, reply.height, reply.faces, s.id);
  }

  /** Records why a source cannot be read (undefined: it can) and skips it for `skipMs`. */
  private markUnreadable(s: SourceState, reason: string | undefined, skipMs = 5000): void {
    if (skipMs > 0) s.skipUntil = performance.now() + skipMs;
    if (reason === s.unreadable) return;
    s.unreadable = reason;
    this.pushReport();
  }

  /** The participant's name on the tile, read again every few seconds (names rarely change). */
  private labelOf(video: HTMLVideoElement, s: SourceState, now: number): string | undefined {
    if (s.label === undefined || now - s.labelAt >= LABEL_REFRESH_MS) {
      s.label = { name: participantOf(video, this.options.doc.location.hostname).name };
      s.labelAt = now;
    }
    return s.label.name;
  }

  /** The frame path in use, as last reported. */
  private transportName: string | undefined;
  private transportNote: string | undefined;

  private unreadable(analysable: HTMLVideoElement[]): {
    unreadable: number;
    unreadableReason: string | undefined;
  } {
    const reasons = analysable
      .map((v) => this.sources.get(v)?.unreadable)
      .filter((r): r is string => r !== undefined);
    return { unreadable: reasons.length, unreadableReason: reasons[0] };
  }

  /**
   * Tiles that left the page: the engine forgets them, and each is remembered a while for a video
   * re-created in its place (DepartedTiles).
   */
  private dropGone(videos: ReadonlySet<HTMLVideoElement>): void {
    const gone: string[] = [];
    const now = performance.now();
    for (const [video, s] of this.sources)
      if (video instanceof HTMLVideoElement ? !videos.has(video) : !video.isConnected) {
        this.sources.delete(video);
        gone.push(s.id);
        if (s.place) this.departed.remember({ id: s.id, name: s.place.name, box: s.place.box, leftAt: now });
      }
    if (gone.length) this.options.forget?.(gone);
  }

  /** The tile's name as the page shows it, and its box in page coordinates. */
  private tileIdentity(video: TileElement): [string | undefined, Rect] {
    const r = video.getBoundingClientRect();
    const view = this.options.doc.defaultView;
    const box = {
      x: r.left + (view?.scrollX ?? 0),
      y: r.top + (view?.scrollY ?? 0),
      width: r.width,
      height: r.height,
    };
    return [participantOf(video, this.options.doc.location.hostname).name, box];
  }

  private pushReport(analysable?: HTMLVideoElement[]): void {
    const r = this.report(analysable);
    // A single-page app's route change keeps this session; the background hears of it here.
    const key = `${r.videos}/${r.videosSeen}/${r.enabled}/${r.url}/${r.title ?? ''}/${r.unreadable ?? 0}/${r.transport ?? ''}/${r.transportNote ?? ''}`;
    this.transportName = r.transport;
    this.transportNote = r.transportNote;
    if (key === this.lastReport) return;
    this.lastReport = key;
    this.options.report(r);
  }
}
