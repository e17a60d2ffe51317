import { describe, expect, it } from 'vitest';
import { contentBox, intersect, objectFitRect, parseObjectPosition, rectsClose } from './geometry';

const box = { x: 10, y: 20, width: 400, height: 300 };
const wide = { width: 1280, height: 720 }; // 16:9 picture in a 4:3 box

describe('contentBox', () => {
  it('removes borders and padding from the border box', () => {
    const r = contentBox(
      { x: 0, y: 0, width: 436, height: 324 },
      { top: 7, right: 7, bottom: 7, left: 7 },
      { top: 5, right: 11, bottom: 5, left: 11 },
    );
    expect(r).toEqual({ x: 18, y: 12, width: 400, height: 300 });
  });

  it('never goes negative', () => {
    const r = contentBox(
      { x: 0, y: 0, width: 4, height: 4 },
      { top: 3, right: 3, bottom: 3, left: 3 },
      { top: 0, right: 0, bottom: 0, left: 0 },
    );
    expect(r.width).toBe(0);
    expect(r.height).toBe(0);
  });
});

describe('objectFitRect', () => {
  it('contain letterboxes and centres', () => {
    expect(objectFitRect(box, wide, 'contain')).toEqual({ x: 10, y: 20 + 37.5, width: 400, height: 225 });
  });

  it('cover fills and overflows the box, centred', () => {
    const r = objectFitRect(box, wide, 'cover');
    expect(r.height).toBe(300);
    expect(r.width).toBeCloseTo(533.333, 2);
    expect(r.x).toBeCloseTo(10 - 66.667, 2);
  });

  it('fill stretches to the box, and unknown sizes fall back to the box', () => {
    expect(objectFitRect(box, wide, 'fill')).toEqual(box);
    expect(objectFitRect(box, { width: 0, height: 0 }, 'cover')).toEqual(box);
  });

  it('none keeps the intrinsic size; scale-down picks the smaller of none and contain', () => {
    expect(objectFitRect(box, { width: 200, height: 100 }, 'none')).toEqual({
      x: 110,
      y: 120,
      width: 200,
      height: 100,
    });
    expect(objectFitRect(box, { width: 200, height: 100 }, 'scale-down')).toEqual({
      x: 110,
      y: 120,
      width: 200,
      height: 100,
    });
    expect(objectFitRect(box, wide, 'scale-down')).toEqual(objectFitRect(box, wide, 'contain'));
  });

  it('honours object-position in percentages, keywords and pixels', () => {
    expect(objectFitRect(box, wide, 'contain', '0% 0%').y).toBe(20);
    expect(objectFitRect(box, wide, 'contain', 'center bottom').y).toBe(20 + 75);
    expect(objectFitRect(box, wide, 'cover', '20% 80%').x).toBeCloseTo(10 - 0.2 * 133.333, 2);
    expect(objectFitRect(box, wide, 'contain', '0px 10px').y).toBe(30);
  });
});

describe('parseObjectPosition', () => {
  it('reads vertical-first keyword pairs', () => {
    expect(parseObjectPosition('top left')).toEqual({ x: { frac: 0 }, y: { frac: 0 } });
    expect(parseObjectPosition('bottom right')).toEqual({ x: { frac: 1 }, y: { frac: 1 } });
  });
});

describe('rect helpers', () => {
  it('rectsClose uses the tolerance on every edge', () => {
    expect(rectsClose(box, { ...box, x: 12 }, 2)).toBe(true);
    expect(rectsClose(box, { ...box, width: 403 }, 2)).toBe(false);
  });

  it('intersect clips to the overlap', () => {
    expect(intersect(box, { x: 0, y: 0, width: 50, height: 50 })).toEqual({
      x: 10,
      y: 20,
      width: 40,
      height: 30,
    });
    expect(intersect(box, { x: 1000, y: 0, width: 5, height: 5 }).width).toBe(0);
  });
});
