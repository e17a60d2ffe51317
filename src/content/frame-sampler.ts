/**
 * The sampling loop of a page: one frame at a time per video, under the scheduler's rates, sent to
 * the engine through the page's frame path; paused while the page is hidden. A video that shows only
 * black, or whose frames cannot be read, is skipped for a while and its reason kept on its source.
 */
import type { FrameReply, FrameResult } from '../shared/protocol';
import { FrameUnreadable } from './frame-capture';
import type { FrameScheduler } from './frame-scheduler';
import type { SourceState, TileSources } from './tile-sources';
import { BusyClock, type FrameTransport } from './transport';

/** A video that presents no new frame is still sampled this often (ms), in case the count stalls. */
const STALE_RESAMPLE_MS = 10_000;

/** Black frames in a row before a video counts as unreadable. */
const BLACK_FRAMES = 4;

export interface SamplerContext {
  doc: Document;
  sources: TileSources;
  scheduler: FrameScheduler;
  /** The frame path, while analysis has one. */
  transport: () => FrameTransport | undefined;
  /** The analysable videos now (the last animation frame's list when it is recent). */
  videos: (now: number) => HTMLVideoElement[];
  /** A reply came back (the frame path may have changed). */
  replied: () => void;
  /** A source's unreadable reason changed. */
  unreadableChanged: () => void;
  /** Faces found in a video's frame. */
  showFaces: (video: HTMLVideoElement, result: FrameResult, sourceId: string) => void;
}

export class FrameSampler {
  private on = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ctx: SamplerContext) {}

  start(): void {
    this.on = true;
    clearTimeout(this.timer);
    this.sample();
  }

  stop(): void {
    this.on = false;
    clearTimeout(this.timer);
  }

  private readonly sample = (): void => {
    if (!this.on || !this.ctx.transport()) return;
    this.timer = setTimeout(this.sample, this.ctx.scheduler.interval);
    if (this.ctx.doc.hidden) return;
    const clock = new BusyClock();
    const now = performance.now();
    clock.run(() => this.pick(now, clock));
  };

  private pick(now: number, clock: BusyClock): void {
    const { sources } = this.ctx;
    const videos = this.ctx.videos(now).filter((v) => v.isConnected && !v.paused && !v.ended);
    const byId = new Map(videos.map((v) => [sources.of(v).id, v]));
    const id = this.ctx.scheduler.next(
      now,
      videos
        .map((v) => sources.of(v))
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
    const s = this.ctx.sources.of(video);
    const transport = this.ctx.transport();
    if (!transport) return;
    s.inFlight = true;
    s.lastSent = now;
    s.sampledAt = s.presented;
    let faces = 0;
    try {
      const meta = {
        sourceId: s.id,
        timestamp: Math.round(performance.timeOrigin + now),
        // (read every few seconds, with the tile's place for a video the page re-creates in it)
        label: this.ctx.sources.nameOf(video, s, now),
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
    this.ctx.replied();
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
    this.ctx.showFaces(video, reply, s.id);
  }

  /** Records why a source cannot be read (undefined: it can) and skips it for `skipMs`. */
  private markUnreadable(s: SourceState, reason: string | undefined, skipMs = 5000): void {
    if (skipMs > 0) s.skipUntil = performance.now() + skipMs;
    if (reason === s.unreadable) return;
    s.unreadable = reason;
    this.ctx.unreadableChanged();
  }
}
