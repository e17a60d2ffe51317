import type { CaptureRegion, CaptureViewport, FrameResult, VideoReport } from '../shared/protocol';
import { CaptureRegions } from './capture-regions';
import { judgeVideo, videoFacts } from './eligibility';
import { FrameSampler } from './frame-sampler';
import { FrameScheduler } from './frame-scheduler';
import { OverlayLayer, type TileElement } from './overlay';
import { countPresentedFrames, TileSources } from './tile-sources';
import type { FrameTransport } from './transport';
import { collectCanvases, collectVideos, VideoFinder } from './video-finder';

/**
 * What the content script does in one page: keeps the set of videos, tells the background how
 * many are analysable, and, while analysis is on, keeps the overlay layer over each of them
 * (every animation frame, so scrolling, resizing, reflow and fullscreen are followed). The tiles'
 * sources (tile-sources.ts), the sampling loop (frame-sampler.ts) and tab-capture mode's regions
 * (capture-regions.ts) are their own modules; the session starts and stops them.
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
  /** The tiles seen, as the engine's sources; a tile that leaves the page is dropped (and forgotten). */
  private readonly sources: TileSources;
  private readonly sampler: FrameSampler;
  private readonly regions: CaptureRegions;
  private overlayStyle: 'full' | 'compact' = 'full';
  private transport: FrameTransport | undefined;
  /** The analysable videos as the last animation frame measured them. */
  private measured: { at: number; videos: HTMLVideoElement[] } = { at: -Infinity, videos: [] };
  /** Tab-capture mode: regions go to the engine instead of frames; canvases count as tiles. */
  private capture = false;
  /** Page main-thread time of the overlay's per-animation-frame upkeep, reported once a second. */
  private overlayBusy = { ms: 0, ticks: 0, since: 0 };

  constructor(private readonly options: PageSessionOptions) {
    const doc = options.doc;
    this.sources = new TileSources(doc, options.sourcePrefix ?? '', () => this.running?.signal);
    this.sampler = new FrameSampler({
      doc,
      sources: this.sources,
      scheduler: this.scheduler,
      transport: () => this.transport,
      videos: (now) => (now - this.measured.at < 100 ? this.measured.videos : this.analysable()),
      replied: () => {
        if (this.transportName !== this.transport?.name || this.transportNote !== this.transport?.note)
          this.pushReport();
      },
      unreadableChanged: () => this.pushReport(),
      showFaces: (video, r, sourceId) => {
        if (this.enabled) this.overlay?.showFaces(video, r.width, r.height, r.faces, sourceId);
      },
    });
    this.regions = new CaptureRegions({
      doc,
      sources: this.sources,
      tiles: () => (this.enabled ? this.tiles() : undefined),
      send: options.sendRegions,
    });
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
    for (const [tile, s] of this.sources.entries())
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
      if (!this.capture) this.sampler.start();
    } else {
      cancelAnimationFrame(this.frame);
      this.sampler.stop();
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
   * sent instead (capture-regions.ts); results come to showCaptureResult.
   */
  setCapture(on: boolean): void {
    if (on === this.capture) return;
    this.capture = on;
    this.sampler.stop();
    if (on) {
      this.regions.start();
    } else {
      this.regions.stop();
      if (this.enabled) this.sampler.start();
    }
  }

  /** Tab-capture mode: faces found in a tile's region of the tab's picture. */
  showCaptureResult(result: FrameResult): void {
    if (!this.enabled || !this.capture) return;
    for (const [el, s] of this.sources.entries())
      if (s.id === result.sourceId)
        this.overlay?.showFaces(el, result.width, result.height, result.faces, s.id, 'screen');
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

  /** Tiles that left the page: the engine forgets them (each is remembered a while, TileSources). */
  private dropGone(videos: ReadonlySet<HTMLVideoElement>): void {
    const gone = this.sources.dropGone(videos);
    if (gone.length) this.options.forget?.(gone);
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
