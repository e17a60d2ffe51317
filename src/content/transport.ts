/**
 * How a sampled frame reaches the engine, cheapest first (measured by `npm run bench`, page part):
 *
 * - `bitmap` (Chrome): createImageBitmap(video, {resizeWidth, resizeHeight}) (the copy and the scaling are
 *   the browser's, off this thread), transferred over a private MessagePort to the relay frame,
 *   an extension page hidden in this page, which forwards it to the engine over a BroadcastChannel
 *   (src/shared/frame-channel.ts, src/relay).
 * - `jpeg`: drawn into a canvas, encoded as JPEG, sent as a data URL in a runtime message to the
 *   background (runtime messages are JSON). Firefox's path (to its background page, which runs the
 *   engine); in Chrome the fallback, for pages where the relay frame cannot load (a page's CSP),
 *   and the path the user can choose.
 *
 * Each transport throws FrameUnreadable for a video the page cannot read; the page session skips it.
 */
import { FrameUnreadable, captureFrame, frameSize } from './frame-capture';
import { RELAY_HOST_TAG } from './own-nodes';
import {
  ENGINE_REPLY_TIMEOUT_MS,
  type RelayEvent,
  type RelayFrame,
  type RelayInit,
} from '../shared/frame-channel';
import type { FrameMessage, FrameReply, FrameTransportName } from '../shared/protocol';

/** Adds up the page main-thread time a frame costs: each synchronous slice runs through it. */
export class BusyClock {
  ms = 0;
  /** Slices in progress: a slice inside another is already counted by the outer one. */
  private depth = 0;
  constructor(private readonly now: () => number = () => performance.now()) {}
  run<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    const t = this.now();
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
      this.ms += this.now() - t;
    }
  }
}

export interface FrameMeta {
  sourceId: string;
  timestamp: number;
  label?: string | undefined;
}

export interface FrameTransport {
  readonly name: FrameTransportName;
  /** Why frames do not take the bitmap path, when they do not (the popup shows it). */
  readonly note?: string | undefined;
  send(video: HTMLVideoElement, meta: FrameMeta, clock: BusyClock): Promise<FrameReply>;
  close(): void;
}

/** Longest side of a frame sent to the engine: faces of a few dozen pixels stay detectable. */
export const FRAME_MAX_SIDE = 640;

export class JpegTransport implements FrameTransport {
  readonly name = 'jpeg';
  constructor(private readonly post: (frame: FrameMessage) => Promise<FrameReply>) {}

  async send(video: HTMLVideoElement, meta: FrameMeta, clock: BusyClock): Promise<FrameReply> {
    const jpeg = await captureFrame(video, FRAME_MAX_SIDE, 0.85, clock);
    return clock.run(() => this.post({ ...meta, jpeg }));
  }

  close(): void {
    // nothing held
  }
}

export class RelayRefused extends Error {
  override name = 'RelayRefused';
}

/**
 * How long a frame may wait for the relay's reply: longer than the relay itself waits for the engine
 * (a cold start loads the models), so a live relay always answers first. A relay that says nothing
 * for this long has gone (its frame crashed); a removed or navigated relay is noticed at once.
 */
export const RELAY_DEADLINE_MS = ENGINE_REPLY_TIMEOUT_MS + 5_000;

interface PendingFrame {
  resolve: (reply: FrameReply) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The bitmap path. `RelayTransport.connect` puts the relay frame in the page and resolves once the
 * relay has been accepted by the background and has reached the engine page; it rejects (and
 * leaves nothing in the page) when the frame cannot load or is refused within `timeoutMs`.
 */
export class RelayTransport implements FrameTransport {
  readonly name = 'bitmap';
  private nextId = 1;
  private readonly pending = new Map<number, PendingFrame>();
  private closed = false;
  /** Why the relay failed, told to every frame that still tries it. */
  private failure: RelayRefused | undefined;
  private readonly removal: MutationObserver;

  /** Over a relay frame that answered 'ready' (`connect`); tests pass a fake port. */
  constructor(
    private readonly host: HTMLElement,
    private readonly port: Pick<MessagePort, 'postMessage' | 'close' | 'onmessage'>,
    frame: EventTarget,
    private readonly deadlineMs = RELAY_DEADLINE_MS,
  ) {
    port.onmessage = (event: MessageEvent<RelayEvent>) => {
      const m = event.data;
      if (m.kind !== 'reply') return;
      const frame = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!frame) return;
      clearTimeout(frame.timer);
      frame.resolve(m.reply);
    };
    // the page may remove the relay's element: its frames then fail at once, not at their deadline
    this.removal = new MutationObserver(() => {
      if (!host.isConnected) this.fail(new RelayRefused('the page removed the relay frame'));
    });
    if (host.parentNode) this.removal.observe(host.parentNode, { childList: true });
    // a frame that loads again was navigated (window.frames reaches it): its port is dead
    frame.addEventListener('load', () => this.fail(new RelayRefused('the relay frame was navigated away')), {
      once: true,
    });
  }

  /**
   * `relay.url`: where to frame the relay (runtime.getURL: this session's dynamic URL in Chrome);
   * `relay.origin`: the extension's own origin, where the relay loads whatever URL framed it.
   */
  static connect(
    doc: Document,
    relay: { url: string; origin: string },
    token: string,
    timeoutMs = 30_000,
    deadlineMs = RELAY_DEADLINE_MS,
  ): Promise<RelayTransport> {
    const host = doc.createElement(RELAY_HOST_TAG);
    // no box, no clicks, nothing the page's layout or its scripts' queries would notice
    host.style.cssText =
      'position:fixed;top:0;left:0;width:0;height:0;overflow:hidden;pointer-events:none;border:0;';
    const shadow = host.attachShadow({ mode: 'closed' });
    const frame = doc.createElement('iframe');
    frame.style.cssText = 'width:0;height:0;border:0;display:block;';
    frame.setAttribute('aria-hidden', 'true');
    frame.tabIndex = -1;
    frame.src = relay.url;
    const channel = new MessageChannel();
    return new Promise<RelayTransport>((resolve, reject) => {
      const fail = (reason: string) => {
        clearTimeout(timer);
        channel.port1.close();
        host.remove();
        reject(new RelayRefused(reason));
      };
      const timer = setTimeout(() => fail('the relay frame did not answer'), timeoutMs);
      channel.port1.onmessage = (event: MessageEvent<RelayEvent>) => {
        const m = event.data;
        if (m.kind === 'refused') fail(m.reason);
        if (m.kind !== 'ready') return;
        clearTimeout(timer);
        resolve(new RelayTransport(host, channel.port1, frame, deadlineMs));
      };
      frame.addEventListener(
        'load',
        () => {
          const init: RelayInit = { moodlens: 'relay-init', token };
          frame.contentWindow?.postMessage(init, relay.origin, [channel.port2]);
        },
        { once: true },
      );
      shadow.append(frame);
      doc.documentElement.append(host);
    });
  }

  async send(video: HTMLVideoElement, meta: FrameMeta, clock: BusyClock): Promise<FrameReply> {
    if (!this.closed && !this.host.isConnected)
      this.fail(new RelayRefused('the page removed the relay frame'));
    if (this.closed) throw this.failure ?? new RelayRefused('the relay is closed');
    const size = clock.run(() => frameSize(video, FRAME_MAX_SIDE));
    let bitmap: ImageBitmap;
    try {
      bitmap = await clock.run(() =>
        // at its own size no scaling pass is needed
        size.width === video.videoWidth && size.height === video.videoHeight
          ? createImageBitmap(video)
          : createImageBitmap(video, {
              resizeWidth: size.width,
              resizeHeight: size.height,
              resizeQuality: 'medium',
            }),
      );
    } catch {
      throw new FrameUnreadable('the video has no frame yet');
    }
    return clock.run(() => {
      const id = this.nextId++;
      const frame: RelayFrame = { kind: 'frame', id, ...meta, bitmap };
      try {
        // a bitmap of a video the page may not read (cross-origin without CORS) cannot be sent
        this.port.postMessage(frame, [bitmap]);
      } catch {
        bitmap.close();
        throw new FrameUnreadable(
          'the page does not allow reading this video (cross-origin without CORS, or protected)',
          'cross-origin',
        );
      }
      return new Promise<FrameReply>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new RelayRefused(`the relay did not answer within ${this.deadlineMs / 1000} s`));
        }, this.deadlineMs);
        this.pending.set(id, { resolve, reject, timer });
      });
    });
  }

  /** Ends the relay with every frame still waiting failing with `error`. */
  private fail(error: RelayRefused): void {
    this.failure ??= error;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    this.close();
    for (const frame of waiting) {
      clearTimeout(frame.timer);
      frame.reject(error);
    }
  }

  close(): void {
    this.closed = true;
    this.removal.disconnect();
    this.port.close();
    this.host.remove();
    for (const frame of this.pending.values()) {
      clearTimeout(frame.timer);
      frame.resolve({ kind: 'unavailable', reason: 'the relay closed' });
    }
    this.pending.clear();
  }
}

/**
 * Sends by the JPEG path at once and moves to the bitmap path as soon as its relay is ready (unless
 * the user chose the JPEG path). A relay that breaks mid-call (removed by the page, silent past its
 * deadline) is made again once; when that one breaks too, the page stays on the JPEG path. The frame
 * that found the relay broken is sent by JPEG, so none is lost.
 */
export class AutoTransport implements FrameTransport {
  private relay: RelayTransport | undefined;
  private closed = false;
  private losses = 0;
  /** Why the relay was last lost, while it is made again and after. */
  private lostBecause: string | undefined;
  /** Why the bitmap path is not used, when it is not; on the bitmap path, why its relay was made again. */
  note: string | undefined;

  constructor(
    private readonly jpeg: JpegTransport,
    /** Makes the relay; or, where frames take the JPEG path only, why. */
    private readonly connectRelay: (() => Promise<RelayTransport>) | string,
    /** Pause before each new try at the relay (a busy engine page may answer the next one). */
    private readonly retryDelaysMs: readonly number[] = [10_000, 30_000],
    /** How many times a relay that broke mid-call is made again. */
    private readonly remakes = 1,
  ) {
    if (typeof connectRelay === 'string') this.note = connectRelay;
    else this.tryRelay(0);
  }

  private tryRelay(attempt: number): void {
    if (typeof this.connectRelay === 'string') return;
    this.connectRelay().then(
      (relay) => {
        if (this.closed) relay.close();
        else {
          this.relay = relay;
          this.note = this.lostBecause && `${this.lostBecause}; made again`;
        }
      },
      (error: unknown) => {
        this.note = error instanceof Error ? error.message : String(error);
        const delay = this.retryDelaysMs[attempt];
        if (delay !== undefined && !this.closed) setTimeout(() => this.tryRelay(attempt + 1), delay);
      },
    );
  }

  private relayLost(relay: RelayTransport, reason: string): void {
    if (this.relay === relay) this.relay = undefined;
    relay.close();
    this.losses++;
    this.lostBecause = reason;
    if (this.losses <= this.remakes) {
      this.note = `${reason}; making it again`;
      // one try, no retries: a page that breaks the relay again keeps the JPEG path
      if (!this.closed) this.tryRelay(this.retryDelaysMs.length);
    } else this.note = `${reason}; frames go as JPEG images for the rest of this page`;
  }

  get name(): FrameTransportName {
    return this.relay ? 'bitmap' : 'jpeg';
  }

  async send(video: HTMLVideoElement, meta: FrameMeta, clock: BusyClock): Promise<FrameReply> {
    const relay = this.relay;
    if (!relay) return this.jpeg.send(video, meta, clock);
    try {
      return await relay.send(video, meta, clock);
    } catch (error) {
      if (!(error instanceof RelayRefused)) throw error;
      // several frames may find the same relay broken: it counts as one loss
      if (this.relay === relay) this.relayLost(relay, error.message);
      return this.jpeg.send(video, meta, clock);
    }
  }

  close(): void {
    this.closed = true;
    this.relay?.close();
    this.relay = undefined;
  }
}
