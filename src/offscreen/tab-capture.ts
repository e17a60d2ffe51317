/**
 * Tab-capture mode (Chrome): for pages that draw video into a <canvas> (Zoom's web client) or whose
 * videos the page cannot read. The popup asks chrome.tabCapture for a stream id (a user gesture);
 * this document opens the tab's picture as a MediaStream and, under the same rates as element mode
 * (round-robin, a per-tile rate, a budget for all tiles), cuts each tile's region out of it. The
 * regions come from the content script in CSS pixels of the viewport; the captured picture is the
 * viewport at some scale (devicePixelRatio, or smaller when Chrome limits the capture size), so a
 * region is scaled by picture width / viewport width. Faces are reported in region pixels, and the
 * content script draws them over the tile.
 *
 * Limits: the capture takes the tab's audio, which Chrome keeps playing for the user only because
 * this document plays it back; MoodLens's own overlay is in the captured picture (its boxes are thin
 * lines that do not hide the faces); Firefox has no tabCapture, so it offers element mode only.
 */
import { FrameScheduler } from '../content/frame-scheduler';
import { pageReply, tabSourceId } from '../shared/tab-source';
import type {
  CaptureRegion,
  CaptureViewport,
  FrameMessage,
  FrameReply,
  FrameResult,
} from '../shared/protocol';

/** Longest side of a cut-out region sent to the engine. */
const REGION_MAX_SIDE = 640;

export interface CaptureSink {
  analyze: (frame: FrameMessage) => Promise<FrameReply>;
  result: (tabId: number, result: FrameResult, label: string | undefined) => void;
  ended: (tabId: number, reason: string) => void;
}

/** Where a region of the viewport lies in the captured picture, clamped to it; undefined if outside. */
export function regionInPicture(
  rect: CaptureRegion['rect'],
  viewport: CaptureViewport,
  picture: { width: number; height: number },
): { sx: number; sy: number; sw: number; sh: number } | undefined {
  if (viewport.width <= 0 || picture.width <= 0) return undefined;
  const scale = picture.width / viewport.width;
  const x0 = Math.max(0, Math.round(rect.x * scale));
  const y0 = Math.max(0, Math.round(rect.y * scale));
  const x1 = Math.min(picture.width, Math.round((rect.x + rect.width) * scale));
  const y1 = Math.min(picture.height, Math.round((rect.y + rect.height) * scale));
  if (x1 - x0 < 16 || y1 - y0 < 16) return undefined;
  return { sx: x0, sy: y0, sw: x1 - x0, sh: y1 - y0 };
}

export class TabCapture {
  private readonly video: HTMLVideoElement;
  private regions: CaptureRegion[] = [];
  private viewport: CaptureViewport = { width: 0, height: 0, devicePixelRatio: 1 };
  private readonly scheduler = new FrameScheduler();
  private readonly state = new Map<string, { inFlight: boolean; lastSent: number }>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  private constructor(
    readonly tabId: number,
    private readonly stream: MediaStream,
    private readonly sink: CaptureSink,
  ) {
    this.video = document.createElement('video');
    this.video.muted = false;
    this.video.srcObject = stream;
    for (const track of stream.getTracks())
      track.addEventListener('ended', () => this.stop('the tab capture ended'), { once: true });
  }

  static async start(tabId: number, streamId: string, sink: CaptureSink): Promise<TabCapture> {
    // Chrome's tab-capture constraints (not in the standard typings)
    const constraint = { mandatory: { chromeMediaSource: 'tab', chromeMediaSourceId: streamId } };
    const video = constraint as MediaTrackConstraints;
    // the tab's audio stops for the user while it is captured, unless it is played back here
    const stream = await navigator.mediaDevices
      .getUserMedia({ video, audio: constraint as MediaTrackConstraints })
      .catch(() => navigator.mediaDevices.getUserMedia({ video }));
    const capture = new TabCapture(tabId, stream, sink);
    await capture.video.play().catch(() => {
      // a browser that will not play sound here without a gesture: the picture is what matters
      capture.video.muted = true;
      return capture.video.play();
    });
    capture.timer = setInterval(() => capture.tick(), capture.scheduler.interval);
    return capture;
  }

  setRegions(regions: CaptureRegion[], viewport: CaptureViewport): void {
    this.regions = regions;
    this.viewport = viewport;
    const ids = new Set(regions.map((r) => r.sourceId));
    for (const id of this.state.keys()) if (!ids.has(id)) this.state.delete(id);
  }

  private tick(): void {
    if (this.stopped || this.video.readyState < 2) return;
    const now = performance.now();
    const candidates = this.regions.map((r) => {
      let s = this.state.get(r.sourceId);
      if (!s) {
        s = { inFlight: false, lastSent: -Infinity };
        this.state.set(r.sourceId, s);
      }
      return { id: r.sourceId, ...s };
    });
    const id = this.scheduler.next(now, candidates);
    const region = this.regions.find((r) => r.sourceId === id);
    if (region) void this.analyse(region, now);
  }

  private async analyse(region: CaptureRegion, now: number): Promise<void> {
    const s = this.state.get(region.sourceId);
    const cut = regionInPicture(region.rect, this.viewport, {
      width: this.video.videoWidth,
      height: this.video.videoHeight,
    });
    if (!s || !cut) return;
    s.inFlight = true;
    s.lastSent = now;
    try {
      const scale = Math.min(1, REGION_MAX_SIDE / Math.max(cut.sw, cut.sh));
      const bitmap = await createImageBitmap(this.video, cut.sx, cut.sy, cut.sw, cut.sh, {
        resizeWidth: Math.round(cut.sw * scale),
        resizeHeight: Math.round(cut.sh * scale),
      });
      const reply = await this.sink.analyze({
        sourceId: tabSourceId(this.tabId, region.sourceId),
        timestamp: Math.round(performance.timeOrigin + now),
        bitmap,
      });
      if (reply.kind === 'result' && !this.stopped)
        this.sink.result(this.tabId, pageReply(reply, region.sourceId), region.label);
    } catch {
      // a frame that could not be cut (the picture resized under it): the next tick tries again
    } finally {
      s.inFlight = false;
    }
  }

  stop(reason = 'tab capture was switched off'): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    for (const track of this.stream.getTracks()) track.stop();
    this.video.srcObject = null;
    this.sink.ended(this.tabId, reason);
  }
}
