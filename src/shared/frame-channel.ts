/**
 * The frame path that keeps pictures out of JSON (Chrome): a content script transfers an
 * ImageBitmap to its relay frame (an extension page inside the web page, src/relay), which
 * forwards it over this BroadcastChannel to the offscreen document that runs the engine. The
 * channel is same-origin: only pages of this extension can use it. (Firefox sends frames to its
 * background page as messages: there, the relay stalled after the first frames.)
 *
 *   content script ──postMessage(bitmap, [bitmap]) over a MessagePort──▶ relay frame
 *   relay frame ──BroadcastChannel (structured clone)──▶ engine page ──reply──▶ relay ──▶ content
 *
 * Every relay frame has its own id; replies carry it, so relays in several tabs never read each
 * other's answers.
 */
import type { FrameMessage, FrameReply } from './protocol';

export const FRAME_CHANNEL = 'moodlens:frames';

export interface ChannelFrame {
  kind: 'frame';
  relay: string;
  id: number;
  tabId: number;
  sourceId: string;
  timestamp: number;
  bitmap: ImageBitmap;
}

export type ChannelMessage =
  | ChannelFrame
  | { kind: 'reply'; relay: string; id: number; reply: FrameReply }
  | { kind: 'ping'; relay: string }
  | { kind: 'pong'; relay: string };

/** The part of a BroadcastChannel used here (tests pass Node's, which is the same API). */
export interface Channel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

export const openFrameChannel = (): Channel => new BroadcastChannel(FRAME_CHANNEL);

function isMessage(data: unknown): data is ChannelMessage {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { kind?: unknown }).kind === 'string' &&
    typeof (data as { relay?: unknown }).relay === 'string'
  );
}

/**
 * Engine side: answers the frames posted on the channel with `analyze`. Sources are namespaced by
 * tab (as the runtime-message path does), so two tabs never share a track; replies name the
 * page's own source id. Returns a function that stops serving.
 */
export function serveFrames(
  analyze: (frame: FrameMessage) => Promise<FrameReply>,
  channel: Channel = openFrameChannel(),
): () => void {
  const onMessage = (event: MessageEvent) => {
    const m: unknown = event.data;
    if (!isMessage(m)) return;
    if (m.kind === 'ping') {
      channel.postMessage({ kind: 'pong', relay: m.relay } satisfies ChannelMessage);
      return;
    }
    if (m.kind !== 'frame') return;
    void analyze({ sourceId: `${m.tabId}:${m.sourceId}`, timestamp: m.timestamp, bitmap: m.bitmap })
      .catch((error: unknown): FrameReply => ({
        kind: 'unavailable',
        reason: error instanceof Error ? error.message : String(error),
      }))
      .then((reply) => {
        const named = 'sourceId' in reply ? { ...reply, sourceId: m.sourceId } : reply;
        channel.postMessage({
          kind: 'reply',
          relay: m.relay,
          id: m.id,
          reply: named,
        } satisfies ChannelMessage);
      });
  };
  channel.addEventListener('message', onMessage);
  return () => {
    channel.removeEventListener('message', onMessage);
    channel.close();
  };
}

export class ChannelTimeout extends Error {
  override name = 'ChannelTimeout';
}

/**
 * Relay side: posts frames for one tab and resolves each with its reply. A frame without a reply
 * within `timeoutMs` (the engine page was closed or is busy starting) rejects with ChannelTimeout.
 */
export class FrameForwarder {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: FrameReply) => void>();
  private readonly pongs = new Set<() => void>();
  private readonly relay: string;

  constructor(
    private readonly tabId: number,
    private readonly channel: Channel = openFrameChannel(),
    private readonly timeoutMs = 30_000,
  ) {
    this.relay = `${String(tabId)}:${crypto.randomUUID()}`;
    channel.addEventListener('message', this.onMessage);
  }

  private readonly onMessage = (event: MessageEvent) => {
    const m: unknown = event.data;
    if (!isMessage(m) || m.relay !== this.relay) return;
    if (m.kind === 'pong') for (const resolve of this.pongs) resolve();
    if (m.kind !== 'reply') return;
    const resolve = this.pending.get(m.id);
    this.pending.delete(m.id);
    resolve?.(m.reply);
  };

  /** Resolves when an engine page answers on the channel; rejects after `timeoutMs`. */
  ping(timeoutMs = this.timeoutMs): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.pongs.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.pongs.delete(done);
        reject(new ChannelTimeout('no engine page answers on the frame channel'));
      }, timeoutMs);
      this.pongs.add(done);
      this.channel.postMessage({ kind: 'ping', relay: this.relay } satisfies ChannelMessage);
    });
  }

  forward(frame: { sourceId: string; timestamp: number; bitmap: ImageBitmap }): Promise<FrameReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ChannelTimeout(`no reply from the engine within ${String(this.timeoutMs)} ms`));
      }, this.timeoutMs);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      try {
        this.channel.postMessage({
          kind: 'frame',
          relay: this.relay,
          id,
          tabId: this.tabId,
          ...frame,
        } satisfies ChannelMessage);
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      } finally {
        // the channel sent a copy: this one is not needed any more
        frame.bitmap.close();
      }
    });
  }

  close(): void {
    this.channel.removeEventListener('message', this.onMessage);
    this.channel.close();
    this.pending.clear();
  }
}

/** The first message a content script posts to its relay frame (with the port it talks over). */
export interface RelayInit {
  moodlens: 'relay-init';
  /** The tab's secret from content>bg:hello: a page that frames the relay itself cannot use it. */
  token: string;
}

/** Over the content script's MessagePort, to the relay. */
export interface RelayFrame {
  kind: 'frame';
  id: number;
  sourceId: string;
  timestamp: number;
  label?: string | undefined;
  bitmap: ImageBitmap;
}

/** Over the MessagePort, from the relay. */
export type RelayEvent =
  { kind: 'ready' } | { kind: 'refused'; reason: string } | { kind: 'reply'; id: number; reply: FrameReply };

export const isRelayInit = (data: unknown): data is RelayInit =>
  typeof data === 'object' &&
  data !== null &&
  (data as { moodlens?: unknown }).moodlens === 'relay-init' &&
  typeof (data as { token?: unknown }).token === 'string';
