/**
 * The relay frame: an extension page a content script puts (hidden) in the web page. It takes the
 * ImageBitmaps the content script transfers over a private MessagePort and forwards them over its
 * tab's BroadcastChannel to the engine page (src/shared/frame-channel.ts), then has the
 * background record each result in the tab's session before the content script hears it, as the
 * runtime-message path does.
 *
 * A page could frame this page itself: nothing is forwarded until the background has checked the
 * token, which only the tab's content script knows.
 */
import {
  ChannelTimeout,
  FrameForwarder,
  isRelayInit,
  type RelayEvent,
  type RelayFrame,
} from '../shared/frame-channel';
import { send } from '../shared/messaging';
import { toRuntime } from '../shared/platform';

let connected = false;

async function connect(token: string, port: MessagePort): Promise<void> {
  const post = (event: RelayEvent) => port.postMessage(event);
  let forwarder: FrameForwarder;
  try {
    const { tabId } = await send(toRuntime, 'relay>bg:hello', { token });
    forwarder = new FrameForwarder(tabId);
    // the offscreen document may be busy loading the models: give it time to answer
    await forwarder.ping(20_000);
  } catch (error) {
    post({ kind: 'refused', reason: error instanceof Error ? error.message : String(error) });
    port.close();
    return;
  }
  connected = true;
  // the engine page closes the tab's channel once the tab's last relay has gone
  addEventListener('pagehide', () => forwarder.close(), { once: true });
  port.onmessage = (event: MessageEvent<RelayFrame>) => {
    const { id, sourceId, timestamp, label, bitmap } = event.data;
    void forwarder
      .forward({ sourceId, timestamp, bitmap })
      .then(async (reply) => {
        // the reply waits for the samples to be stored: what the page saw labelled is in the session
        if (reply.kind === 'result') await send(toRuntime, 'relay>bg:frameResult', { result: reply, label });
        post({ kind: 'reply', id, reply });
      })
      .catch((error: unknown) => {
        // the engine page may have been closed: the background makes a new one
        if (error instanceof ChannelTimeout)
          void send(toRuntime, 'relay>bg:hello', { token }).catch(() => undefined);
        post({
          kind: 'reply',
          id,
          reply: { kind: 'unavailable', reason: error instanceof Error ? error.message : String(error) },
        });
      });
  };
  post({ kind: 'ready' });
}

addEventListener('message', (event: MessageEvent) => {
  // only the embedding page's window talks to this frame, once; its port carries the rest
  if (connected || event.source !== parent || !isRelayInit(event.data)) return;
  const port = event.ports[0];
  if (port) void connect(event.data.token, port);
});
