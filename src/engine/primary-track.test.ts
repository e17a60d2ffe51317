import { describe, expect, it } from 'vitest';
import { PrimaryTrack, primaryScore, type TrackedFace } from './primary-track';
import { Tracker } from './tracking';

const FRAME = { width: 640, height: 480 };
const box = (x: number, y: number, s = 160) => ({ x, y, width: s, height: s });
/** The person, centred in the tile; a poster on the wall behind, larger and in the corner. */
const PERSON = box(240, 160);
const POSTER = box(0, 0, 220);

/** The tracker and the selector as the engine runs them, one frame at a time. */
function tile(holdMs = 5000) {
  const tracker = new Tracker({ minIou: 0.3, maxCentreDistance: 0.6, maxAgeMs: 2000 });
  const primary = new PrimaryTrack({ holdMs, maxReturnDistance: 1.5 });
  return (boxes: TrackedFace['box'][], t: number) => {
    const ids = tracker.update(boxes, t);
    const marks = primary.update(
      boxes.map((b, i) => ({ trackId: ids[i] as number, box: b })),
      FRAME,
      t,
    );
    return boxes.map((_, i) => ({ id: ids[i] as number, primary: marks[i] as boolean }));
  };
}

describe('primaryScore', () => {
  it('prefers a centred face to a larger one in the corner, and a larger face to a smaller one in one place', () => {
    expect(primaryScore(PERSON, FRAME)).toBeGreaterThan(primaryScore(POSTER, FRAME));
    expect(primaryScore(box(240, 160, 200), FRAME)).toBeGreaterThan(primaryScore(box(260, 180, 120), FRAME));
  });
});

describe('PrimaryTrack', () => {
  it('chooses the centred person over a larger poster seen first, whatever the track order', () => {
    const frame = tile();
    // the poster is detected first, so it has the older (smaller) track id
    const [poster, person] = frame([POSTER, PERSON], 0);
    expect(poster?.id).toBeLessThan(person?.id ?? 0);
    expect([poster?.primary, person?.primary]).toEqual([false, true]);
  });

  it('keeps no face primary in a frame where the person is missed and the poster is visible', () => {
    const frame = tile();
    const [person] = frame([PERSON], 0);
    frame([PERSON, POSTER], 100);
    expect(frame([POSTER], 200)).toEqual([{ id: 2, primary: false }]);
    expect(frame([POSTER, PERSON], 300)).toEqual([
      { id: 2, primary: false },
      { id: person?.id, primary: true },
    ]);
  });

  it('does not hand the place to a poster that appears later, larger or not', () => {
    const frame = tile();
    frame([PERSON], 0);
    const [, poster] = frame([PERSON, box(400, 200, 240)], 100);
    expect(poster?.primary).toBe(false);
  });

  it('keeps the person primary while a second person enters and leaves', () => {
    const frame = tile();
    const [person] = frame([PERSON], 0);
    for (let t = 100; t <= 3000; t += 100) {
      const faces = frame([PERSON, box(420, 220, 180)], t);
      expect(faces.map((f) => f.primary)).toEqual([true, false]);
    }
    expect(frame([PERSON], 3100)).toEqual([{ id: person?.id, primary: true }]);
  });

  it('takes the person back as primary after a gap longer than the tracker’s memory but within the hold', () => {
    const frame = tile();
    frame([PERSON, POSTER], 0);
    frame([POSTER], 1500);
    frame([POSTER], 3000); // the tracker forgot the person
    const [, back] = frame([POSTER, box(250, 170)], 3500);
    expect(back).toEqual({ id: 3, primary: true });
  });

  it('with frames seconds apart (a busy engine), a second face present all along never takes the tile', () => {
    const frame = tile();
    const [person] = frame([PERSON], 0);
    const visitor = box(20, 300, 120);
    frame([PERSON, visitor], 3000);
    // the person steps away for two slow frames; the visitor stays
    for (const t of [6000, 9000]) expect(frame([visitor], t)[0]?.primary).toBe(false);
    expect(frame([PERSON, visitor], 12_000)).toEqual([
      { id: person?.id, primary: true },
      { id: expect.any(Number) as number, primary: false },
    ]);
  });

  it('during the hold, a new face far from where the person was stays a sub-participant', () => {
    const frame = tile();
    frame([PERSON], 0);
    const [stranger] = frame([box(470, 300)], 1000);
    expect(stranger?.primary).toBe(false);
  });

  it('makes the person primary again when they return after a long gap, not the poster that stayed', () => {
    const frame = tile();
    frame([PERSON, POSTER], 0);
    for (let t = 500; t <= 10_000; t += 500) expect(frame([POSTER], t)).toEqual([{ id: 2, primary: false }]);
    // back somewhere else in the picture, under a new track id
    const [poster, person] = frame([POSTER, box(200, 240)], 10_500);
    expect(poster).toEqual({ id: 2, primary: false });
    expect(person).toEqual({ id: 3, primary: true });
    expect(frame([POSTER, box(205, 240)], 11_000)[1]).toEqual({ id: 3, primary: true });
  });

  it('gives a tile with a new face after a long empty gap that face as its primary', () => {
    const frame = tile();
    frame([PERSON], 0);
    const [next] = frame([box(100, 100)], 8000);
    expect(next?.primary).toBe(true);
  });
});
