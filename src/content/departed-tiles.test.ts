import { describe, expect, it } from 'vitest';
import { DepartedTiles, overlap } from './departed-tiles';

const box = (x: number, y: number, width = 320, height = 180) => ({ x, y, width, height });

describe('DepartedTiles: a re-created video takes over the tile that left', () => {
  it('hands the id to a video at the same place with the same name, once', () => {
    const tiles = new DepartedTiles();
    tiles.remember({ id: 'v1', name: 'Ada', box: box(0, 0), leftAt: 1000 });
    tiles.remember({ id: 'v2', name: 'Ben', box: box(330, 0), leftAt: 1000 });
    // the grid re-rendered: the same two tiles, a pixel or two off
    expect(tiles.claim('Ben', box(331, 2), 1200)).toBe('v2');
    expect(tiles.claim('Ada', box(1, 1), 1200)).toBe('v1');
    expect(tiles.claim('Ada', box(1, 1), 1200)).toBeUndefined();
  });

  it('keeps apart another person at the same place, and the same name elsewhere', () => {
    const tiles = new DepartedTiles();
    tiles.remember({ id: 'v1', name: 'Ada', box: box(0, 0), leftAt: 1000 });
    expect(tiles.claim('Ben', box(0, 0), 1100)).toBeUndefined();
    expect(tiles.claim('Ada', box(400, 300), 1100)).toBeUndefined();
    expect(tiles.claim('Ada', box(0, 0), 1100)).toBe('v1');
  });

  it('matches unnamed tiles by place alone, and forgets after the memory', () => {
    const tiles = new DepartedTiles(10_000);
    tiles.remember({ id: 'v1', name: undefined, box: box(0, 0), leftAt: 0 });
    tiles.remember({ id: 'v2', name: undefined, box: box(0, 200), leftAt: 0 });
    expect(tiles.claim(undefined, box(0, 190), 5_000)).toBe('v2');
    expect(tiles.claim(undefined, box(0, 0), 10_001)).toBeUndefined();
  });

  it('prefers the closest of two tiles that overlap the new box', () => {
    const tiles = new DepartedTiles();
    tiles.remember({ id: 'far', name: undefined, box: box(100, 0), leftAt: 0 });
    tiles.remember({ id: 'near', name: undefined, box: box(10, 0), leftAt: 0 });
    expect(tiles.claim(undefined, box(0, 0), 1)).toBe('near');
  });

  it('measures overlap as intersection over union', () => {
    expect(overlap(box(0, 0, 10, 10), box(0, 0, 10, 10))).toBe(1);
    expect(overlap(box(0, 0, 10, 10), box(5, 0, 10, 10))).toBeCloseTo(50 / 150);
    expect(overlap(box(0, 0, 10, 10), box(20, 0, 10, 10))).toBe(0);
  });
});
