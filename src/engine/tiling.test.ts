import { describe, expect, it } from 'vitest';
import { offsetDetection, suppress, tileRects } from './tiling';

const det = (x: number, y: number, s: number, score: number) => ({
  box: { x, y, width: s, height: s },
  keypoints: [{ x: x + 1, y: y + 1 }],
  score,
});

describe('tileRects', () => {
  it('covers the frame with overlapping tiles', () => {
    const tiles = tileRects(640, 480, 2, 0.25);
    expect(tiles).toHaveLength(4);
    const right = Math.max(...tiles.map((t) => t.x + t.width));
    const bottom = Math.max(...tiles.map((t) => t.y + t.height));
    expect(right).toBeGreaterThanOrEqual(639);
    expect(bottom).toBeGreaterThanOrEqual(479);
    expect(tiles[0]?.x).toBe(0);
    // neighbours overlap by a quarter of a tile
    const [a, b] = tiles;
    expect(
      Math.abs((a?.x ?? 0) + (a?.width ?? 0) - (b?.x ?? 0) - (a?.width ?? 0) * 0.25),
    ).toBeLessThanOrEqual(1);
  });

  it('cuts a 3x3 grid of 640x480 into tiles of 256x192 that end at the frame edges', () => {
    const tiles = tileRects(640, 480, 3);
    expect(tiles).toHaveLength(9);
    expect(tiles[0]).toEqual({ x: 0, y: 0, width: 256, height: 192 });
    expect(tiles[8]).toEqual({ x: 384, y: 288, width: 256, height: 192 });
  });
});

describe('offsetDetection', () => {
  it('moves the box and the keypoints from tile to frame coordinates', () => {
    const d = offsetDetection(det(10, 20, 30, 0.9), 100, 200);
    expect(d.box).toEqual({ x: 110, y: 220, width: 30, height: 30 });
    expect(d.keypoints[0]).toEqual({ x: 111, y: 221 });
  });
});

describe('suppress', () => {
  it('keeps the best of overlapping detections and every separate one', () => {
    const kept = suppress([det(0, 0, 100, 0.6), det(5, 5, 100, 0.9), det(300, 0, 100, 0.7)]);
    expect(kept.map((d) => d.score)).toEqual([0.9, 0.7]);
  });
});
