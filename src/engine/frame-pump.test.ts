import { describe, expect, it } from 'vitest';
import type { FrameMessage, FrameReply } from '../shared/protocol';
import { FramePump } from './frame-pump';

/** A process step that answers only when the test says so, recording what it was given. */
function gated() {
  const started: string[] = [];
  const gates: (() => void)[] = [];
  const process = (msg: FrameMessage): Promise<FrameReply> => {
    started.push(`${msg.sourceId}@${msg.timestamp}`);
    return new Promise((resolve) =>
      gates.push(() => resolve({ kind: 'black', sourceId: msg.sourceId, timestamp: msg.timestamp })),
    );
  };
  return { started, process, open: () => gates.shift()?.() };
}

const frame = (sourceId: string, timestamp: number, closed?: string[]): FrameMessage => ({
  sourceId,
  timestamp,
  ...(closed
    ? { bitmap: { close: () => closed.push(`${sourceId}@${timestamp}`) } as unknown as ImageBitmap }
    : {}),
});

describe('FramePump', () => {
  it('processes one frame at a time; a newer frame of a source replaces the waiting one, answered dropped', async () => {
    const g = gated();
    const pump = new FramePump(g.process);
    const closed: string[] = [];
    const first = pump.push(frame('a', 1));
    const replaced = pump.push(frame('a', 2, closed));
    const newest = pump.push(frame('a', 3));
    expect(g.started).toEqual(['a@1']);
    expect(await replaced).toEqual({ kind: 'dropped', sourceId: 'a', timestamp: 2 });
    expect(closed).toEqual(['a@2']);
    g.open();
    expect(await first).toMatchObject({ timestamp: 1 });
    await Promise.resolve();
    expect(g.started).toEqual(['a@1', 'a@3']);
    g.open();
    expect(await newest).toMatchObject({ timestamp: 3 });
  });

  it('answers a failure as unavailable and goes on with the next frame', async () => {
    let calls = 0;
    const pump = new FramePump((msg) => {
      if (calls++ === 0) throw new Error('the engine is not ready');
      return Promise.resolve({ kind: 'black', sourceId: msg.sourceId, timestamp: msg.timestamp });
    });
    const failed = pump.push(frame('a', 1));
    const next = pump.push(frame('b', 1));
    expect(await failed).toEqual({ kind: 'unavailable', reason: 'the engine is not ready' });
    expect(await next).toMatchObject({ kind: 'black', sourceId: 'b' });
  });

  it('drops a forgotten source’s waiting frame', async () => {
    const g = gated();
    const pump = new FramePump(g.process);
    void pump.push(frame('a', 1));
    const waiting = pump.push(frame('b', 1));
    pump.forget('b');
    expect(await waiting).toEqual({ kind: 'dropped', sourceId: 'b', timestamp: 1 });
    g.open();
  });
});
