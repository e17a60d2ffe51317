import { afterEach, describe, expect, it } from 'vitest';
import {
  ChannelTimeout,
  FrameForwarder,
  serveFrames,
  tabChannelName,
  type Channel,
  type OpenChannel,
} from './frame-channel';
import type { FrameMessage, FrameReply } from './protocol';

/** A stand-in bitmap: cloned as data; `close` is not enumerable, so the clone leaves it behind. */
function fakeBitmap(tag: string): ImageBitmap & { closed: number } {
  const b = { tag, closed: 0 };
  Object.defineProperty(b, 'close', { value: () => b.closed++, enumerable: false });
  return b as unknown as ImageBitmap & { closed: number };
}

const open: { close(): void }[] = [];
const track = <T extends { close(): void }>(x: T): T => {
  open.push(x);
  return x;
};
afterEach(() => {
  for (const x of open.splice(0)) x.close();
});

const result = (frame: FrameMessage, faces: number): FrameReply => ({
  kind: 'result',
  sourceId: frame.sourceId,
  timestamp: frame.timestamp,
  width: 640,
  height: 360,
  faces: Array.from({ length: faces }, (_, i) => ({
    trackId: i + 1,
    primary: i === 0,
    box: { x: 0, y: 0, width: 10, height: 10 },
    probabilities: [0, 0, 0, 1, 0, 0, 0],
    dominant: 'happy',
    confidence: 1,
  })),
  timings: { detectMs: 0, cropMs: 0, classifyMs: 0, totalMs: 0 },
});

describe('frame channel', () => {
  it('carries a frame to the engine page with the tab in its source id, and the reply back under the page’s id', async () => {
    const seen: { sourceId: string; tag: unknown }[] = [];
    const stop = serveFrames((frame) => {
      seen.push({ sourceId: frame.sourceId, tag: (frame.bitmap as unknown as { tag: string }).tag });
      return Promise.resolve(result(frame, 2));
    });
    open.push({ close: stop });
    const forwarder = track(new FrameForwarder(7, undefined, 2000));
    await forwarder.ping(2000);
    const bitmap = fakeBitmap('a');
    const reply = await forwarder.forward({ sourceId: 'v1', timestamp: 123, bitmap });
    expect(seen).toEqual([{ sourceId: '7:v1', tag: 'a' }]);
    expect(reply).toMatchObject({ kind: 'result', sourceId: 'v1', timestamp: 123 });
    expect(reply.kind === 'result' && reply.faces).toHaveLength(2);
    // the relay's own copy is released once posted
    expect(bitmap.closed).toBe(1);
  });

  it('never hands one relay another relay’s reply', async () => {
    open.push({
      close: serveFrames(async (frame) => {
        // the later frame is answered first
        await new Promise((r) => setTimeout(r, frame.sourceId.startsWith('1:') ? 60 : 5));
        return result(frame, frame.sourceId.startsWith('1:') ? 1 : 3);
      }),
    });
    const a = track(new FrameForwarder(1, undefined, 2000));
    const b = track(new FrameForwarder(2, undefined, 2000));
    const [ra, rb] = await Promise.all([
      a.forward({ sourceId: 'v1', timestamp: 1, bitmap: fakeBitmap('a') }),
      b.forward({ sourceId: 'v1', timestamp: 2, bitmap: fakeBitmap('b') }),
    ]);
    expect(ra.kind === 'result' && [ra.timestamp, ra.faces.length]).toEqual([1, 1]);
    expect(rb.kind === 'result' && [rb.timestamp, rb.faces.length]).toEqual([2, 3]);
  });

  it('turns an engine failure into an unavailable reply', async () => {
    open.push({
      close: serveFrames(() => Promise.reject(new Error('the model is missing'))),
    });
    const f = track(new FrameForwarder(3, undefined, 2000));
    expect(await f.forward({ sourceId: 'v1', timestamp: 1, bitmap: fakeBitmap('x') })).toEqual({
      kind: 'unavailable',
      reason: 'the model is missing',
    });
  });

  it('gives up with ChannelTimeout when no engine page listens', async () => {
    const f = track(new FrameForwarder(4, undefined, 50));
    await expect(f.ping(50)).rejects.toBeInstanceOf(ChannelTimeout);
    const bitmap = fakeBitmap('x');
    await expect(f.forward({ sourceId: 'v1', timestamp: 1, bitmap })).rejects.toBeInstanceOf(ChannelTimeout);
    expect(bitmap.closed).toBe(1);
  });
});

/** Opens real channels and records, per channel name, the kinds of message each instance receives. */
function countingOpener(): { open: OpenChannel; seen: Map<string, string[]>; closed: number[] } {
  const seen = new Map<string, string[]>();
  const closed: number[] = [];
  const open: OpenChannel = (name) => {
    const channel = new BroadcastChannel(name);
    const log = seen.get(name) ?? [];
    seen.set(name, log);
    const wrapped: Channel = {
      postMessage: (m) => channel.postMessage(m),
      addEventListener: (_type, listener) =>
        channel.addEventListener('message', (event) => {
          const data = event.data as { kind: string; bitmap?: { tag: string } };
          log.push(data.kind);
          // what a context receives is its own copy: count the ones it releases
          if (data.bitmap)
            Object.defineProperty(data.bitmap, 'close', { value: () => closed.push(1), enumerable: false });
          listener(event);
        }),
      removeEventListener: () => undefined,
      close: () => channel.close(),
    };
    return wrapped;
  };
  return { open, seen, closed };
}

describe('frame channel with two analysed tabs', () => {
  it('gives each relay only its own tab’s replies: no relay sees a frame', async () => {
    const engine = countingOpener();
    const relays = countingOpener();
    open.push({ close: serveFrames((frame) => Promise.resolve(result(frame, 1)), engine.open) });
    const a = track(new FrameForwarder(1, relays.open, 2000));
    const b = track(new FrameForwarder(2, relays.open, 2000));
    await Promise.all([a.ping(2000), b.ping(2000)]);
    for (let i = 0; i < 5; i++) {
      const [ra, rb] = await Promise.all([
        a.forward({ sourceId: 'v1', timestamp: i, bitmap: fakeBitmap('a') }),
        b.forward({ sourceId: 'v1', timestamp: i, bitmap: fakeBitmap('b') }),
      ]);
      expect([ra.kind, rb.kind]).toEqual(['result', 'result']);
    }
    // relay 1 heard its pong and its 5 replies on tab 1's channel, and nothing of tab 2's
    expect(relays.seen.get(tabChannelName(1))).toEqual(['pong', ...Array<string>(5).fill('reply')]);
    expect(relays.seen.get(tabChannelName(2))).toEqual(['pong', ...Array<string>(5).fill('reply')]);
    // the relays post their hellos without listening where hellos go
    expect(relays.seen.get('moodlens:frames')).toEqual([]);
    // the engine page got each tab's 5 frames on that tab's channel
    expect(engine.seen.get(tabChannelName(1))?.filter((k) => k === 'frame')).toHaveLength(5);
    expect(engine.seen.get(tabChannelName(2))?.filter((k) => k === 'frame')).toHaveLength(5);
    expect(engine.seen.get('moodlens:frames')).toEqual(['hello', 'hello']);
  });

  it('closes a bitmap another relay of the same tab posted, and the tab’s channel when its relays leave', async () => {
    const engine = countingOpener();
    const relays = countingOpener();
    open.push({ close: serveFrames((frame) => Promise.resolve(result(frame, 1)), engine.open) });
    const first = new FrameForwarder(5, relays.open, 2000);
    const second = track(new FrameForwarder(5, relays.open, 2000));
    await Promise.all([first.ping(2000), second.ping(2000)]);
    await first.forward({ sourceId: 'v1', timestamp: 1, bitmap: fakeBitmap('a') });
    // the second relay received the first's frame, and released it
    expect(relays.closed).toHaveLength(1);
    first.close();
    second.close();
    await until(() => engine.seen.get(tabChannelName(5))?.filter((k) => k === 'bye').length === 2);
    // no relay left: a third relay must say hello again before it is served
    const third = track(new FrameForwarder(5, relays.open, 2000));
    expect(await third.forward({ sourceId: 'v1', timestamp: 2, bitmap: fakeBitmap('c') })).toMatchObject({
      kind: 'result',
    });
    expect(engine.seen.get('moodlens:frames')).toEqual(['hello', 'hello', 'hello']);
  });
});

/** Awaits a condition, one macrotask at a time (at most 2 s). */
async function until(condition: () => boolean): Promise<void> {
  const end = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met within 2 s');
    await new Promise((r) => setImmediate(r));
  }
}
