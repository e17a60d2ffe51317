import type { VideoReport } from '../shared/protocol';
import { judgeVideo, videoFacts } from './eligibility';
import { OverlayLayer } from './overlay';
import { VideoFinder } from './video-finder';

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
}

export class PageSession {
  private enabled = false;
  private overlay: OverlayLayer | undefined;
  private frame = 0;
  private readonly finder: VideoFinder;
  private readonly resizes: ResizeObserver;
  private lastReport = '';

  constructor(private readonly options: PageSessionOptions) {
    this.resizes = new ResizeObserver(() => this.pushReport());
    this.finder = new VideoFinder(options.doc, {
      signal: options.signal,
      onChange: (videos) => {
        this.resizes.disconnect();
        for (const v of videos) this.resizes.observe(v);
        this.pushReport();
      },
    });
    for (const v of this.finder.current) this.resizes.observe(v);
    const onVisibility = () => this.pushReport();
    options.doc.addEventListener('fullscreenchange', () => this.overlay?.attach(), {
      signal: options.signal,
    });
    options.doc.addEventListener('visibilitychange', onVisibility, { signal: options.signal });
    options.signal.addEventListener('abort', () => {
      this.resizes.disconnect();
      this.setEnabled(false);
    });
  }

  analysable(): HTMLVideoElement[] {
    return [...this.finder.current].filter((v) => judgeVideo(videoFacts(v)).ok);
  }

  report(): VideoReport {
    return {
      videos: this.analysable().length,
      videosSeen: this.finder.current.size,
      enabled: this.enabled,
      url: this.options.doc.location.href,
    };
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  setEnabled(on: boolean): void {
    if (on === this.enabled || (on && this.options.signal.aborted)) return;
    this.enabled = on;
    if (on) {
      this.overlay = new OverlayLayer(this.options.doc);
      this.tick();
    } else {
      cancelAnimationFrame(this.frame);
      this.overlay?.destroy();
      this.overlay = undefined;
    }
    this.pushReport();
  }

  private readonly tick = (): void => {
    if (!this.enabled || !this.overlay) return;
    this.overlay.update(this.analysable());
    this.pushReport();
    this.frame = requestAnimationFrame(this.tick);
  };

  private pushReport(): void {
    const r = this.report();
    // A single-page app's route change keeps this session; the background hears of it here.
    const key = `${r.videos}/${r.videosSeen}/${r.enabled}/${r.url}`;
    if (key === this.lastReport) return;
    this.lastReport = key;
    this.options.report(r);
  }
}
