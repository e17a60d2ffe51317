import { afterEach, describe, expect, it } from 'vitest';
import { ChannelTimeout, FrameForwarder, FRAME_CHANNEL, serveFrames } from './frame-channel';
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
    }, new BroadcastChannel(FRAME_CHANNEL));
    open.push({ close: stop });
    const forwarder = track(new FrameForwarder(7, new BroadcastChannel(FRAME_CHANNEL), 2000));
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
      }, new BroadcastChannel(FRAME_CHANNEL)),
    });
    const a = track(new FrameForwarder(1, new BroadcastChannel(FRAME_CHANNEL), 2000));
    const b = track(new FrameForwarder(2, new BroadcastChannel(FRAME_CHANNEL), 2000));
    const [ra, rb] = await Promise.all([
      a.forward({ sourceId: 'v1', timestamp: 1, bitmap: fakeBitmap('a') }),
      b.forward({ sourceId: 'v1', timestamp: 2, bitmap: fakeBitmap('b') }),
    ]);
    expect(ra.kind === 'result' && [ra.timestamp, ra.faces.length]).toEqual([1, 1]);
    expect(rb.kind === 'result' && [rb.timestamp, rb.faces.length]).toEqual([2, 3]);
  });

  it('turns an engine failure into an unavailable reply', async () => {
    open.push({
      close: serveFrames(
        () => Promise.reject(new Error('the model is missing')),
        new BroadcastChannel(FRAME_CHANNEL),
      ),
    });
    const f = track(new FrameForwarder(3, new BroadcastChannel(FRAME_CHANNEL), 2000));
    expect(await f.forward({ sourceId: 'v1', timestamp: 1, bitmap: fakeBitmap('x') })).toEqual({
      kind: 'unavailable',
      reason: 'the model is missing',
    });
  });

  it('gives up with ChannelTimeout when no engine page listens', async () => {
    const f = track(new FrameForwarder(4, new BroadcastChannel(FRAME_CHANNEL), 50));
    await expect(f.ping(50)).rejects.toBeInstanceOf(ChannelTimeout);
    await expect(f.forward({ sourceId: 'v1', timestamp: 1, bitmap: fakeBitmap('x') })).rejects.toThrow(
      /no reply from the engine within 50 ms/,
    );
  });
});
