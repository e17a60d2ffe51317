import { describe, expect, it } from 'vitest';
import type { FrameMessage } from '../shared/protocol';
import type { Engine, EngineFrame } from './engine';
import { answerFrames } from './frame-answer';

const closed: string[] = [];
const withBitmap = (sourceId: string): FrameMessage => ({
  sourceId,
  timestamp: 5,
  bitmap: { width: 640, height: 480, close: () => closed.push(sourceId) },
});

describe('answerFrames', () => {
  it('runs the frames through the engine in one call, answers one that cannot be decoded on its own, and closes every bitmap', async () => {
    const calls: string[][] = [];
    const engine = {
      processFrames: (frames: readonly EngineFrame[]) => {
        calls.push(frames.map((f) => f.sourceId));
        return Promise.resolve(
          frames.map((f) => ({
            sourceId: f.sourceId,
            timestamp: f.timestamp,
            width: 640,
            height: 480,
            faces: [],
            timings: { detectMs: 1, cropMs: 0, classifyMs: 0, totalMs: 1 },
          })),
        );
      },
    } as unknown as Engine;
    const replies = await answerFrames(engine, [
      withBitmap('a'),
      { sourceId: 'b', timestamp: 5, jpeg: 'javascript:alert(1)' },
      withBitmap('c'),
    ]);
    expect(calls).toEqual([['a', 'c']]);
    expect(replies.map((r) => (r.kind === 'unavailable' ? r.reason : `${r.kind} ${r.sourceId}`))).toEqual([
      'result a',
      'the frame is not an image data URL',
      'result c',
    ]);
    expect(closed).toEqual(['a', 'c']);
  });
});
