/**
 * The frame path that keeps pictures out of JSON (Chrome): a content script transfers an
 * ImageBitmap to its relay frame (an extension page inside the web page, src/relay), which
 * forwards it over a BroadcastChannel to the offscreen document that runs the engine. The
 * channels are same-origin: only pages of this extension can use them. (Firefox sends frames to
 * its background page as messages: there, the relay stalled after the first frames.)
 *
 *   content script ──postMessage(bitmap, [bitmap]) over a MessagePort──▶ relay frame
 *   relay frame ──hello (tab id) on FRAME_CHANNEL──▶ engine page: opens that tab's channel
 *   relay frame ──frame on the tab's channel (structured clone)──▶ engine page ──reply──▶ relay
 *
 * A BroadcastChannel delivers every message to every other instance of its name, pictures
 * included: so frames and replies travel on one channel per tab, and FRAME_CHANNEL carries only
 * the relays' small hellos, which relays post without listening there. Replies name their relay,
 * so a second relay of the same tab (a re-injected content script) never reads another's answer;
 * a context closes any bitmap it receives and does not use.
 */
import type { FrameMessage, FrameReply } from './protocol';
import { pageReply, tabSourceId } from './tab-source';

/** Where relays announce their tab to the engine page (small messages only, never pictures). */
export const FRAME_CHANNEL = 'moodlens:frames';

/** One tab's frames and replies. */
export const tabChannelName = (tabId: number): string => `${FRAME_CHANNEL}:${String(tabId)}`;

export interface ChannelFrame {
  kind: 'frame';
  relay: string;
  id: number;
  sourceId: string;
  timestamp: number;
  bitmap: ImageBitmap;
}

/** On FRAME_CHANNEL: a relay asks the engine page to serve its tab. */
export interface ChannelHello {
  kind: 'hello';
  relay: string;
  tabId: number;
}

/** On a tab's channel. */
export type ChannelMessage =
  | ChannelFrame
  | { kind: 'reply'; relay: string; id: number; reply: FrameReply }
  | { kind: 'pong'; relay: string }
  /** The relay leaves: the engine page closes the tab's channel when no relay of the tab is left. */
  | { kind: 'bye'; relay: string };

/** The part of a BroadcastChannel used here (tests pass Node's, which is the same API). */
export interface Channel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** Opens a channel by name (tests pass one that counts what each channel receives). */
export type OpenChannel = (name: string) => Channel;

const openBroadcast: OpenChannel = (name) => new BroadcastChannel(name);

function isMessage(data: unknown): data is ChannelMessage | ChannelHello {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { kind?: unknown }).kind === 'string' &&
    typeof (data as { relay?: unknown }).relay === 'string'
  );
}

/** Releases a picture that came with a message and is not used here (the clone is this context's). */
export function discardBitmap(data: unknown): void {
  const bitmap =
    typeof data === 'object' && data !== null ? (data as { bitmap?: unknown }).bitmap : undefined;
  const close =
    typeof bitmap === 'object' && bitmap !== null ? (bitmap as { close?: unknown }).close : undefined;
  if (typeof close === 'function') (close as () => void).call(bitmap);
}

const isFrame = (m: ChannelMessage): m is ChannelFrame =>
  m.kind === 'frame' &&
  typeof m.id === 'number' &&
  typeof m.sourceId === 'string' &&
  typeof m.timestamp === 'number' &&
  Number.isFinite(m.timestamp) &&
  typeof m.bitmap === 'object';

/**
 * Engine side: opens a tab's channel when one of its relays says hello, and answers the frames
 * posted there with `analyze`. Sources are namespaced by tab (as the runtime-message path does),
 * so two tabs never share a track; replies name the page's own source id. Returns a function that
 * stops serving.
 */
export function serveFrames(
  analyze: (frame: FrameMessage) => Promise<FrameReply>,
  open: OpenChannel = openBroadcast,
): () => void {
  const tabs = new Map<number, { channel: Channel; relays: Set<string>; stop: () => void }>();

  const serveTab = (tabId: number) => {
    const channel = open(tabChannelName(tabId));
    const relays = new Set<string>();
    const onMessage = (event: MessageEvent) => {
      const m: unknown = event.data;
      if (!isMessage(m)) return discardBitmap(m);
      if (m.kind === 'bye') {
        relays.delete(m.relay);
        if (relays.size === 0) closeTab(tabId);
        return;
      }
      if (m.kind !== 'frame' || !isFrame(m)) return discardBitmap(m);
      relays.add(m.relay);
      void analyze({ sourceId: tabSourceId(tabId, m.sourceId), timestamp: m.timestamp, bitmap: m.bitmap })
        .catch((error: unknown): FrameReply => ({
          kind: 'unavailable',
          reason: error instanceof Error ? error.message : String(error),
        }))
        .then((reply) => {
          if (!tabs.has(tabId)) return;
          const named = pageReply(reply, m.sourceId);
          channel.postMessage({
            kind: 'reply',
            relay: m.relay,
            id: m.id,
            reply: named,
          } satisfies ChannelMessage);
        });
    };
    channel.addEventListener('message', onMessage);
    const tab = {
      channel,
      relays,
      stop: () => {
        channel.removeEventListener('message', onMessage);
        channel.close();
      },
    };
    tabs.set(tabId, tab);
    return tab;
  };
  const closeTab = (tabId: number) => {
    tabs.get(tabId)?.stop();
    tabs.delete(tabId);
  };

  const control = open(FRAME_CHANNEL);
  const onHello = (event: MessageEvent) => {
    const m: unknown = event.data;
    if (!isMessage(m) || m.kind !== 'hello') return discardBitmap(m);
    const { tabId } = m;
    if (!Number.isSafeInteger(tabId) || tabId < 0) return;
    const tab = tabs.get(tabId) ?? serveTab(tabId);
    tab.relays.add(m.relay);
    tab.channel.postMessage({ kind: 'pong', relay: m.relay } satisfies ChannelMessage);
  };
  control.addEventListener('message', onHello);
  return () => {
    control.removeEventListener('message', onHello);
    control.close();
    for (const tabId of [...tabs.keys()]) closeTab(tabId);
  };
}

/** How long the relay waits for the engine page's reply to a frame (a cold start loads the models). */
export const ENGINE_REPLY_TIMEOUT_MS = 30_000;

export class ChannelTimeout extends Error {
  override name = 'ChannelTimeout';
}

/**
 * Relay side: posts frames for one tab on the tab's channel and resolves each with its reply. A
 * frame without a reply within `timeoutMs` (the engine page was closed or is busy starting)
 * rejects with ChannelTimeout; the next frame says hello again and waits for the answer first (a
 * new engine page does not know the tab yet).
 */
export class FrameForwarder {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: FrameReply) => void>();
  private readonly pongs = new Set<() => void>();
  private readonly relay: string;
  private readonly channel: Channel;
  /** Whether the engine page answered since the last timeout. */
  private known = false;
  private closed = false;

  constructor(
    private readonly tabId: number,
    private readonly open: OpenChannel = openBroadcast,
    private readonly timeoutMs = ENGINE_REPLY_TIMEOUT_MS,
  ) {
    this.relay = crypto.randomUUID();
    this.channel = open(tabChannelName(tabId));
    this.channel.addEventListener('message', this.onMessage);
  }

  private readonly onMessage = (event: MessageEvent) => {
    const m: unknown = event.data;
    // another relay's frame (the same tab's, after a re-injection) is not ours to use
    if (!isMessage(m) || m.relay !== this.relay || m.kind === 'frame') return discardBitmap(m);
    if (m.kind === 'pong') {
      this.known = true;
      for (const resolve of this.pongs) resolve();
    }
    if (m.kind !== 'reply') return;
    this.known = true;
    const resolve = this.pending.get(m.id);
    this.pending.delete(m.id);
    resolve?.(m.reply);
  };

  /** Tells the engine page this relay's tab, on FRAME_CHANNEL, which this relay does not listen to. */
  private hello(): void {
    const control = this.open(FRAME_CHANNEL);
    control.postMessage({ kind: 'hello', relay: this.relay, tabId: this.tabId } satisfies ChannelHello);
    // what was posted is still delivered
    control.close();
  }

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
      this.hello();
    });
  }

  async forward(frame: { sourceId: string; timestamp: number; bitmap: ImageBitmap }): Promise<FrameReply> {
    try {
      // an engine page that does not know the tab yet would not hear the frame
      if (!this.known) await this.ping();
    } catch (error) {
      frame.bitmap.close();
      throw error;
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.known = false;
        reject(new ChannelTimeout(`no reply from the engine within ${String(this.timeoutMs)} ms`));
      }, this.timeoutMs);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      try {
        this.channel.postMessage({ kind: 'frame', relay: this.relay, id, ...frame } satisfies ChannelMessage);
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
    if (this.closed) return;
    this.closed = true;
    this.channel.removeEventListener('message', this.onMessage);
    this.channel.postMessage({ kind: 'bye', relay: this.relay } satisfies ChannelMessage);
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
