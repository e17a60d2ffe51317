import { describe, expect, it } from 'vitest';
import type { FrameMessage, FrameReply } from '../shared/protocol';
import { FramePump } from './frame-pump';

/** A process step that answers a batch only when the test says so, recording each batch it was given. */
function gated() {
  const started: string[][] = [];
  const gates: (() => void)[] = [];
  const process = (msgs: FrameMessage[]): Promise<FrameReply[]> => {
    started.push(msgs.map((m) => `${m.sourceId}@${m.timestamp}`));
    return new Promise((resolve) =>
      gates.push(() =>
        resolve(msgs.map((m) => ({ kind: 'black', sourceId: m.sourceId, timestamp: m.timestamp }))),
      ),
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
  it('answers a lone frame at once; a newer frame of a source replaces the waiting one, answered dropped', async () => {
    const g = gated();
    const pump = new FramePump(g.process);
    const closed: string[] = [];
    const first = pump.push(frame('a', 1));
    const replaced = pump.push(frame('a', 2, closed));
    const newest = pump.push(frame('a', 3));
    expect(g.started).toEqual([['a@1']]);
    expect(await replaced).toEqual({ kind: 'dropped', sourceId: 'a', timestamp: 2 });
    expect(closed).toEqual(['a@2']);
    g.open();
    expect(await first).toMatchObject({ timestamp: 1 });
    await Promise.resolve();
    expect(g.started).toEqual([['a@1'], ['a@3']]);
    g.open();
    expect(await newest).toMatchObject({ timestamp: 3 });
  });

  it('takes the frames that waited while the engine was busy as one batch, longest-waiting source first, at most maxBatch', async () => {
    const g = gated();
    const pump = new FramePump(g.process, 3);
    const replies = [pump.push(frame('a', 1)), ...['b', 'c', 'd', 'e'].map((s) => pump.push(frame(s, 2)))];
    expect(g.started).toEqual([['a@1']]);
    g.open();
    await replies[0];
    await Promise.resolve();
    expect(g.started).toEqual([['a@1'], ['b@2', 'c@2', 'd@2']]);
    g.open();
    // each frame gets its own reply
    expect(await Promise.all(replies.slice(1, 4))).toEqual(
      ['b', 'c', 'd'].map((s) => ({ kind: 'black', sourceId: s, timestamp: 2 })),
    );
    await Promise.resolve();
    expect(g.started.at(-1)).toEqual(['e@2']);
    g.open();
    expect(await replies[4]).toMatchObject({ sourceId: 'e' });
  });

  it('answers every frame of a failed batch as unavailable and goes on with the next', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const pump = new FramePump(async (msgs) => {
      if (calls++ === 0) await new Promise<void>((r) => (release = r));
      else if (calls === 2) throw new Error('the engine is not ready');
      return msgs.map((m) => ({ kind: 'black', sourceId: m.sourceId, timestamp: m.timestamp }));
    });
    const first = pump.push(frame('a', 1));
    const failed = [pump.push(frame('b', 1)), pump.push(frame('c', 1))];
    release();
    expect(await first).toMatchObject({ kind: 'black', sourceId: 'a' });
    for (const r of failed)
      expect(await r).toEqual({ kind: 'unavailable', reason: 'the engine is not ready' });
    expect(await pump.push(frame('d', 1))).toMatchObject({ kind: 'black', sourceId: 'd' });
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
