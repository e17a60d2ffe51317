import { describe, expect, it } from 'vitest';
import { cropToFrame, cropTransform, eyeAngle, fitCrop, tiltBeyond } from './crop-geometry';

const rule = { scale: 1.2, offsetX: 0, offsetY: 0.1, freeTiltDegrees: 0 };
const degrees = (d: number) => (d * Math.PI) / 180;
const frame = { width: 640, height: 480 };
const box = { x: 200, y: 100, width: 100, height: 120 };

function apply(t: number[], p: { x: number; y: number }) {
  const [a, b, c, d, e, f] = t as [number, number, number, number, number, number];
  return { x: a * p.x + c * p.y + e, y: b * p.x + d * p.y + f };
}

describe('eyeAngle', () => {
  it('is zero for level eyes and follows a head tilt', () => {
    expect(eyeAngle({ x: 100, y: 50 }, { x: 150, y: 50 })).toBe(0);
    expect(eyeAngle({ x: 100, y: 50 }, { x: 150, y: 100 })).toBeCloseTo(Math.PI / 4);
  });
});

describe('tiltBeyond', () => {
  it('leaves a tilt within the free tilt alone and turns back only the rest, either way', () => {
    expect(tiltBeyond(degrees(10), 15)).toBe(0);
    expect(tiltBeyond(degrees(-15), 15)).toBeCloseTo(0, 12);
    expect(tiltBeyond(degrees(40), 15)).toBeCloseTo(degrees(25));
    expect(tiltBeyond(degrees(-40), 15)).toBeCloseTo(degrees(-25));
    expect(tiltBeyond(degrees(7), 0)).toBeCloseTo(degrees(7));
  });
});

describe('fitCrop', () => {
  it('scales the box by the rule and offsets the centre in box units', () => {
    const c = fitCrop(box, undefined, rule, frame);
    expect(c.side).toBeCloseTo(1.2 * 110);
    expect(c.centre).toEqual({ x: 250, y: 160 + 12 });
    expect(c.angle).toBe(0);
    expect(c.shifted).toBe(false);
  });

  it('applies the offset along the tilted face axes', () => {
    const eyes = { right: { x: 220, y: 140 }, left: { x: 280, y: 200 } }; // 45 degrees
    const c = fitCrop(box, eyes, rule, frame);
    expect(c.angle).toBeCloseTo(Math.PI / 4);
    // offset 12 px "down" in the face's frame is (-sin, cos) * 12 in the image
    expect(c.centre.x).toBeCloseTo(250 - 12 * Math.SQRT1_2);
    expect(c.centre.y).toBeCloseTo(160 + 12 * Math.SQRT1_2);
  });

  it('cuts a head tilted within the free tilt unturned, and turns a steeper one back to it', () => {
    const free = { ...rule, freeTiltDegrees: 15 };
    const tilted = (d: number) => ({
      right: { x: 220, y: 160 },
      left: { x: 220 + 60 * Math.cos(degrees(d)), y: 160 + 60 * Math.sin(degrees(d)) },
    });
    const slight = fitCrop(box, tilted(10), free, frame);
    expect(slight.angle).toBe(0);
    expect(slight.centre).toEqual(fitCrop(box, undefined, free, frame).centre);
    expect(fitCrop(box, tilted(-35), free, frame).angle).toBeCloseTo(degrees(-20));
  });

  it('moves the square back inside the frame at the edges', () => {
    const c = fitCrop(
      { x: 600, y: -20, width: 80, height: 80 },
      undefined,
      { scale: 1, offsetX: 0, offsetY: 0, freeTiltDegrees: 0 },
      frame,
    );
    expect(c.shifted).toBe(true);
    expect(c.centre).toEqual({ x: 600, y: 40 });
  });

  it('centres a square on the frame along an axis where it does not fit', () => {
    // 600 px fits the 640 px width (kept at x 300) but not the 480 px height (centred)
    const c = fitCrop(
      { x: 0, y: 0, width: 600, height: 600 },
      undefined,
      { scale: 1, offsetX: 0, offsetY: 0, freeTiltDegrees: 0 },
      frame,
    );
    expect(c.centre).toEqual({ x: 300, y: 240 });
  });
});

describe('cropTransform', () => {
  it('maps the crop square onto the out x out canvas, corners to corners', () => {
    const eyes = { right: { x: 230, y: 150 }, left: { x: 270, y: 170 } };
    const c = fitCrop(box, eyes, rule, frame);
    const t = cropTransform(c, 48);
    for (const corner of [
      { x: 0, y: 0 },
      { x: 48, y: 0 },
      { x: 0, y: 48 },
      { x: 48, y: 48 },
      { x: 24, y: 24 },
    ]) {
      const back = apply(t, cropToFrame(c, 48, corner));
      expect(back.x).toBeCloseTo(corner.x, 6);
      expect(back.y).toBeCloseTo(corner.y, 6);
    }
  });

  it('levels the eyes: both eyes land on the same crop row', () => {
    const eyes = { right: { x: 230, y: 150 }, left: { x: 270, y: 175 } };
    const t = cropTransform(fitCrop(box, eyes, rule, frame), 48);
    expect(apply(t, eyes.right).y).toBeCloseTo(apply(t, eyes.left).y, 6);
    expect(apply(t, eyes.right).x).toBeLessThan(apply(t, eyes.left).x);
  });
});
