import { describe, expect, it } from 'vitest';
import type { FrameReply, FrameResult } from './protocol';
import { pageReply, tabSourceId } from './tab-source';

const result = (sourceId: string): FrameResult => ({
  kind: 'result',
  sourceId,
  timestamp: 5,
  width: 640,
  height: 480,
  faces: [],
  timings: { detectMs: 1, cropMs: 1, classifyMs: 1, totalMs: 3 },
});

describe('tab sources', () => {
  it('names a page’s source by its tab, so two tabs’ "v1" are two engine sources', () => {
    expect(tabSourceId(3, 'v1')).toBe('3:v1');
    expect(tabSourceId(4, 'v1')).not.toBe(tabSourceId(3, 'v1'));
    // a page's id that has a colon of its own stays whole
    expect(tabSourceId(3, 'a:b')).toBe('3:a:b');
  });

  it('gives the engine’s reply back under the page’s own id, whatever its kind', () => {
    const engineId = tabSourceId(3, 'v1');
    const back = pageReply(result(engineId), 'v1');
    expect(back).toEqual(result('v1'));
    expect(pageReply({ kind: 'dropped', sourceId: engineId, timestamp: 5 }, 'v1')).toEqual({
      kind: 'dropped',
      sourceId: 'v1',
      timestamp: 5,
    });
    expect(pageReply({ kind: 'black', sourceId: engineId, timestamp: 5 }, 'v1').sourceId).toBe('v1');
  });

  it('leaves a reply without a source as it is, and never changes the engine’s reply', () => {
    const unavailable: FrameReply = { kind: 'unavailable', reason: 'no engine' };
    expect(pageReply(unavailable, 'v1')).toBe(unavailable);
    const engine = result('3:v1');
    pageReply(engine, 'v1');
    expect(engine.sourceId).toBe('3:v1');
  });
});
