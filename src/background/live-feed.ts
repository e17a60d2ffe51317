/**
 * Pushes each recorded frame's samples to the extension pages that watch its tab (the side panel),
 * over a runtime Port (LIVE_PORT), so a live view adds samples as they come instead of re-reading
 * the session. The watchers are the open ports themselves: they end with the worker, and a page
 * connects again when its port closes (src/ui/extension-client.ts), so nothing here needs storing.
 */
import { LIVE_WATCH_SCHEMA } from '../shared/message-schemas';
import { participantId } from '../shared/participant-id';
import { LIVE_PORT, type FrameResult, type LiveSamples } from '../shared/protocol';

/** The part of runtime.Port the feed uses (both browsers', and a test's stand-in). */
export interface FeedPort {
  name: string;
  sender?: { id?: string | undefined; url?: string | undefined } | undefined;
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export class LiveFeed {
  private watchers = new Map<FeedPort, number>();

  /** `self`: this extension's id and origin (runtime.getURL('')): only its own pages may watch. */
  constructor(private readonly self: () => { id: string; origin: string }) {}

  /** A runtime.onConnect listener. */
  connect(port: FeedPort): void {
    if (port.name !== LIVE_PORT) return;
    const { id, origin } = this.self();
    // content scripts can connect too: only this extension's own pages may watch a tab
    if (port.sender?.id !== id || !port.sender.url?.startsWith(origin)) {
      port.disconnect();
      return;
    }
    port.onDisconnect.addListener(() => this.watchers.delete(port));
    port.onMessage.addListener((message) => {
      try {
        this.watchers.set(port, LIVE_WATCH_SCHEMA.parse(message).tabId);
      } catch {
        this.watchers.delete(port);
        port.disconnect();
      }
    });
  }

  /** Sends a recorded result's samples, one per face, to every page that watches the tab. */
  publish(tabId: number, result: FrameResult): void {
    if (result.faces.length === 0) return;
    const message: LiveSamples = {
      tabId,
      samples: result.faces.map((face) => ({
        participantId: participantId(result.sourceId, face),
        t: result.timestamp,
        p: face.probabilities,
      })),
    };
    for (const [port, watched] of this.watchers) {
      if (watched !== tabId) continue;
      try {
        port.postMessage(message);
      } catch {
        this.watchers.delete(port); // closed under us
      }
    }
  }

  /** How many pages watch (tests). */
  get size(): number {
    return this.watchers.size;
  }
}
