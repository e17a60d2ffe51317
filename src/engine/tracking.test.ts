import { describe, expect, it } from 'vitest';
import { iou, memoryMs, Tracker } from './tracking';

const box = (x: number, y: number, s = 100) => ({ x, y, width: s, height: s });

describe('iou', () => {
  it('is 1 for the same box, 0 for disjoint boxes, and the overlap ratio otherwise', () => {
    expect(iou(box(0, 0), box(0, 0))).toBe(1);
    expect(iou(box(0, 0), box(200, 0))).toBe(0);
    expect(iou(box(0, 0), box(50, 0))).toBeCloseTo(5000 / 15000);
  });
});

describe('Tracker', () => {
  it('keeps ids stable while faces move a little, in any detection order', () => {
    const t = new Tracker();
    const [a, b] = t.update([box(0, 0), box(300, 0)], 0);
    expect(a).not.toBe(b);
    expect(t.update([box(305, 4), box(8, 2)], 500)).toEqual([b, a]);
  });

  it('follows a fast move by centre distance when the boxes no longer overlap much', () => {
    const t = new Tracker();
    const [a] = t.update([box(0, 0)], 0);
    expect(t.update([box(55, 0)], 100)).toEqual([a]); // IoU 0.29, centre 0.55 face sizes away
  });

  it('starts a new track for a new face and expires tracks unseen for too long', () => {
    const t = new Tracker({ minIou: 0.3, maxCentreDistance: 0.6, maxAgeMs: 1000 });
    const [a] = t.update([box(0, 0)], 0);
    const [, c] = t.update([box(0, 0), box(500, 500)], 100);
    expect(c).not.toBe(a);
    for (let now = 200; now <= 1500; now += 100) t.update([], now);
    expect(t.active).toHaveLength(0);
    const [d] = t.update([box(0, 0)], 1600);
    expect(d).not.toBe(a);
  });

  it('remembers a face for three frames when frames come slowly (a busy engine), at most 15 s', () => {
    const t = new Tracker({ minIou: 0.3, maxCentreDistance: 0.6, maxAgeMs: 2000 });
    const [a] = t.update([box(0, 0)], 0);
    // one frame every 3 s: the face missed in one frame is the same face in the next
    t.update([], 3000);
    expect(t.update([box(4, 0)], 6000)).toEqual([a]);
    // a source paused for a minute does not keep its faces for three minutes
    t.update([], 66_000);
    expect(t.active).toHaveLength(0);
    expect(memoryMs(2000, 100)).toBe(2000);
    expect(memoryMs(2000, 3000)).toBe(9000);
    expect(memoryMs(2000, 60_000)).toBe(15_000);
  });

  it('never gives two detections of one frame the same track', () => {
    const t = new Tracker();
    const [a] = t.update([box(0, 0)], 0);
    const ids = t.update([box(2, 0), box(4, 0)], 100);
    expect(new Set(ids).size).toBe(2);
    expect(ids).toContain(a);
  });
});
