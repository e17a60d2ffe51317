import { describe, expect, it } from 'vitest';
import { FrameScheduler } from './frame-scheduler';

const c = (id: string, lastSent = -Infinity, inFlight = false) => ({ id, lastSent, inFlight });

describe('FrameScheduler', () => {
  it('serves the video that has waited longest, skipping videos still in the engine', () => {
    const s = new FrameScheduler({ perVideoFps: 2, budgetFps: 10 });
    expect(s.next(1000, [c('a', 400), c('b', 100), c('c', -Infinity, true)])).toBe('b');
  });

  it('keeps every video under its own rate', () => {
    const s = new FrameScheduler({ perVideoFps: 2, budgetFps: 100 });
    expect(s.next(1000, [c('a', 700)])).toBeUndefined(); // 300 ms < 500 ms
    expect(s.next(1200, [c('a', 700)])).toBe('a');
  });

  it('keeps all videos together under the budget, and is fair to a 9-tile grid', () => {
    const s = new FrameScheduler({ perVideoFps: 2, budgetFps: 10 });
    const tiles = Array.from({ length: 9 }, (_, i) => c(`t${i}`));
    const sent = new Map<string, number>();
    for (let now = 0; now < 10_000; now += 10) {
      const id = s.next(now, tiles);
      if (!id) continue;
      const tile = tiles.find((t) => t.id === id);
      if (tile) tile.lastSent = now;
      sent.set(id, (sent.get(id) ?? 0) + 1);
    }
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(101); // 10 per second
    expect(total).toBeGreaterThanOrEqual(95);
    const counts = [...sent.values()];
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(sent.size).toBe(9);
  });
});
