import { describe, expect, it } from 'vitest';
import { LatestFrameQueue } from './frame-queue';

describe('LatestFrameQueue', () => {
  it('keeps only the newest frame of a source and releases the older one', () => {
    const released: string[] = [];
    const q = new LatestFrameQueue<string>((f) => released.push(f));
    q.push({ sourceId: 'a', timestamp: 1, frame: 'a1' });
    q.push({ sourceId: 'a', timestamp: 2, frame: 'a2' });
    expect(q.size).toBe(1);
    expect(released).toEqual(['a1']);
    expect(q.dropped).toBe(1);
    expect(q.take()).toEqual({ sourceId: 'a', timestamp: 2, frame: 'a2' });
    expect(q.take()).toBeUndefined();
  });

  it('serves sources in the order they started waiting (round-robin)', () => {
    const q = new LatestFrameQueue<string>();
    q.push({ sourceId: 'a', timestamp: 1, frame: 'a1' });
    q.push({ sourceId: 'b', timestamp: 1, frame: 'b1' });
    q.push({ sourceId: 'a', timestamp: 2, frame: 'a2' });
    expect(q.take()?.frame).toBe('a2');
    q.push({ sourceId: 'a', timestamp: 3, frame: 'a3' });
    expect(q.take()?.frame).toBe('b1');
    expect(q.take()?.frame).toBe('a3');
  });

  it('forgets a vanished source and releases its frame', () => {
    const released: string[] = [];
    const q = new LatestFrameQueue<string>((f) => released.push(f));
    q.push({ sourceId: 'a', timestamp: 1, frame: 'a1' });
    q.push({ sourceId: 'b', timestamp: 1, frame: 'b1' });
    q.forget('a');
    expect(released).toEqual(['a1']);
    expect(q.take()?.frame).toBe('b1');
    expect(q.take()).toBeUndefined();
  });
});
