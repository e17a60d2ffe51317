import { describe, expect, it } from 'vitest';
import type { Crop } from './crop-geometry';
import { participantId } from '../shared/participant-id';
import { CALIBRATED_FRAMING, DEFAULT_ENGINE, Engine } from './engine';
import type { Detection, FaceDetector } from './types';

/** A detector double that returns scripted detections, and a classifier double keyed by face brightness. */
function fakes(script: Detection[][]) {
  let call = 0;
  const detector: FaceDetector = {
    name: 'scripted',
    detect: () => Promise.resolve(script[Math.min(call++, script.length - 1)] ?? []),
    close: () => undefined,
  };
  const crops: Crop[] = [];
  const cropper = {
    crop: (_: unknown, crop: Crop) => {
      crops.push(crop);
      return new Uint8Array(2304).fill(crop.centre.x < 320 ? 10 : 200);
    },
  };
  const batches: number[] = [];
  const classifier = {
    classify: (faces: readonly Uint8Array[]) => {
      batches.push(faces.length);
      // dark faces "happy", bright faces "sad"
      return Promise.resolve(
        faces.map((f) =>
          Float32Array.from(
            (f[0] ?? 0) < 100 ? [0, 0, 0, 0.9, 0.04, 0.03, 0.03] : [0, 0, 0, 0.1, 0.8, 0.05, 0.05],
          ),
        ),
      );
    },
  };
  return { detector, cropper, classifier, crops, batches };
}

const det = (x: number, y: number, s = 100): Detection => ({
  box: { x, y, width: s, height: s },
  keypoints: [
    { x: x + 0.3 * s, y: y + 0.4 * s },
    { x: x + 0.7 * s, y: y + 0.4 * s },
  ],
  score: 0.9,
});
const frame = { width: 640, height: 480 } as unknown as ImageBitmap;

describe('Engine', () => {
  it('classifies all faces of a frame in one batch and reports them with track ids in source pixels', async () => {
    const f = fakes([[det(100, 100), det(400, 100)]]);
    const engine = new Engine(f.detector, f.classifier, f.cropper, {
      ...DEFAULT_ENGINE,
      smoothingHalfLifeMs: 0,
    });
    const r = await engine.process('tile-1', 1000, frame);
    expect(f.batches).toEqual([2]);
    expect(r.sourceId).toBe('tile-1');
    expect(r.timestamp).toBe(1000);
    expect(r.faces.map((x) => x.dominant)).toEqual(['happy', 'sad']);
    expect(r.faces[0]?.box).toEqual({ x: 100, y: 100, width: 100, height: 100 });
    expect(r.faces[0]?.confidence).toBeCloseTo(0.9);
    expect(new Set(r.faces.map((x) => x.trackId)).size).toBe(2);
  });

  it('classifies the faces of several sources’ frames in one batch, each result with its own source’s faces', async () => {
    // source a: one face on the left (happy); b: none; c: two faces (happy, sad); d: too small to analyse
    const f = fakes([[det(100, 100)], [], [det(100, 100), det(400, 100)]]);
    const engine = new Engine(f.detector, f.classifier, f.cropper, {
      ...DEFAULT_ENGINE,
      smoothingHalfLifeMs: 0,
      tiling: false,
    });
    const small = { width: 16, height: 16 } as unknown as ImageBitmap;
    const results = await engine.processFrames([
      { sourceId: 'a', timestamp: 10, frame },
      { sourceId: 'b', timestamp: 11, frame },
      { sourceId: 'c', timestamp: 12, frame },
      { sourceId: 'd', timestamp: 13, frame: small },
    ]);
    expect(f.batches).toEqual([3]);
    expect(results.map((r) => [r.sourceId, r.timestamp, r.faces.map((x) => x.dominant)])).toEqual([
      ['a', 10, ['happy']],
      ['b', 11, []],
      ['c', 12, ['happy', 'sad']],
      ['d', 13, []],
    ]);
    // tracks are per source: each source's first face is its track 1
    expect(results.map((r) => r.faces.map((x) => x.trackId))).toEqual([[1], [], [1, 2], []]);
    expect(engine.sourceIds).toEqual(['a', 'b', 'c']);
    // the batch's time is shared by faces: a has a third of it, b none
    const [a, b, c] = results.map((r) => r.timings.classifyMs);
    expect(b).toBe(0);
    expect(c).toBeCloseTo(2 * (a ?? 0), 6);
  });

  it('keeps a face’s track id across frames and smooths its probabilities when asked', async () => {
    const f = fakes([[det(100, 100)], [det(104, 100)]]);
    const engine = new Engine(f.detector, f.classifier, f.cropper, {
      ...DEFAULT_ENGINE,
      smoothingHalfLifeMs: 1000,
    });
    const a = await engine.process('s', 0, frame);
    const b = await engine.process('s', 500, frame);
    expect(b.faces[0]?.trackId).toBe(a.faces[0]?.trackId);
  });

  it('keeps sources apart: the same place in two tiles is two tracks', async () => {
    const f = fakes([[det(100, 100)]]);
    const engine = new Engine(f.detector, f.classifier, f.cropper);
    const a = await engine.process('a', 0, frame);
    const b = await engine.process('b', 0, frame);
    expect(a.faces[0]?.trackId).toBe(1);
    expect(b.faces[0]?.trackId).toBe(1); // ids are per source
    engine.forgetSource('a');
    const c = await engine.process('a', 10, frame);
    expect(c.faces[0]?.trackId).toBe(1);
  });

  it('skips frames that are too small and faces that are too small, without calling the classifier', async () => {
    const f = fakes([[det(10, 10, 8)]]);
    const engine = new Engine(f.detector, f.classifier, f.cropper);
    expect((await engine.process('s', 0, { width: 16, height: 16 } as unknown as ImageBitmap)).faces).toEqual(
      [],
    );
    expect((await engine.process('s', 1, frame)).faces).toEqual([]);
    expect(f.batches).toEqual([]);
  });

  it('turns the crop back by the head tilt beyond the free tilt, from the eye keypoints', async () => {
    const tilted: Detection = {
      ...det(100, 100),
      keypoints: [
        { x: 130, y: 140 },
        { x: 170, y: 180 },
      ],
    };
    const f = fakes([[tilted]]);
    await new Engine(f.detector, f.classifier, f.cropper).process('s', 0, frame);
    expect(f.crops[0]?.angle).toBeCloseTo(Math.PI / 4 - (CALIBRATED_FRAMING.freeTiltDegrees * Math.PI) / 180);
  });
});

describe('Engine: the tile’s participant (primary face)', () => {
  /** The person, centred; a poster on the wall, larger and in the corner; someone passing by. */
  const PERSON = det(240, 160, 160);
  const POSTER = det(0, 0, 220);
  const VISITOR = det(450, 260, 150);

  /** Participant ids (src/shared/participant-id.ts) of each scripted frame, `dt` ms apart. */
  async function participants(script: Detection[][], dt = 100): Promise<string[][]> {
    const f = fakes(script);
    const engine = new Engine(f.detector, f.classifier, f.cropper, { ...DEFAULT_ENGINE, tiling: false });
    const out: string[][] = [];
    for (let i = 0; i < script.length; i++)
      out.push((await engine.process('v1', i * dt, frame)).faces.map((x) => participantId('v1', x)));
    return out;
  }

  it('does not record a poster as the participant in a frame where the person is missed', async () => {
    expect(await participants([[POSTER, PERSON], [POSTER], [POSTER, PERSON]])).toEqual([
      ['v1/1', 'v1'],
      ['v1/1'],
      ['v1/1', 'v1'],
    ]);
  });

  it('keeps the person against a poster that is larger but off-centre, or new', async () => {
    const BIG_POSTER = det(400, 200, 240);
    expect(await participants([[PERSON], [BIG_POSTER, PERSON], [BIG_POSTER]])).toEqual([
      ['v1'],
      ['v1/2', 'v1'],
      ['v1/2'],
    ]);
  });

  it('keeps the person as the tile while a second person enters and leaves', async () => {
    const script = [[PERSON], [VISITOR, PERSON], [VISITOR], [VISITOR, PERSON], [PERSON]];
    expect(await participants(script)).toEqual([['v1'], ['v1/2', 'v1'], ['v1/2'], ['v1/2', 'v1'], ['v1']]);
  });

  it('continues the person as the tile after a long gap, with the poster still a sub-participant', async () => {
    // 1 s apart: the person is away for 8 s, longer than the tracker's memory and the hold
    const away = Array.from({ length: 8 }, () => [POSTER]);
    const back = det(200, 200, 160);
    const ids = await participants([[POSTER, PERSON], ...away, [POSTER, back], [POSTER, back]], 1000);
    expect(ids.slice(1, 9).every((f) => f.length === 1 && f[0] === 'v1/1')).toBe(true);
    expect(ids.slice(9)).toEqual([
      ['v1/1', 'v1'],
      ['v1/1', 'v1'],
    ]);
  });

  it('marks exactly one face primary when faces first appear: the centred one', async () => {
    const f = fakes([[POSTER, VISITOR, PERSON]]);
    const r = await new Engine(f.detector, f.classifier, f.cropper).process('s', 0, frame);
    expect(r.faces.map((x) => x.primary)).toEqual([false, false, true]);
  });
});

describe('Engine tiling', () => {
  it('looks again in tiles when the whole frame gives no face, and maps tile faces back to the frame', async () => {
    const calls: string[] = [];
    const tileFrames = new Map<object, { x: number; y: number }>();
    const detector: FaceDetector = {
      name: 'tile-aware',
      detect: (image) => {
        const at = tileFrames.get(image);
        calls.push(at ? `tile ${at.x},${at.y}` : 'frame');
        // only the bottom-right tile "sees" the small face, at (50, 60) in tile pixels
        return Promise.resolve(at && at.x === 384 && at.y === 288 ? [det(50, 60, 40)] : []);
      },
      close: () => undefined,
    };
    const cutTile = (_: unknown, rect: { x: number; y: number }) => {
      const bitmap = { close: () => undefined } as unknown as ImageBitmap;
      tileFrames.set(bitmap, rect);
      return Promise.resolve(bitmap);
    };
    const f = fakes([]);
    const engine = new Engine(
      detector,
      f.classifier,
      f.cropper,
      { ...DEFAULT_ENGINE, minFaceSize: 10 },
      cutTile,
    );
    const r = await engine.process('s', 0, frame);
    expect(calls[0]).toBe('frame');
    // 3x3 tiles of 256x192, overlapping by a quarter
    expect(calls.filter((c) => c.startsWith('tile'))).toHaveLength(9);
    expect(r.faces).toHaveLength(1);
    // the bottom-right tile of 640x480 starts at (384, 288)
    expect(r.faces[0]?.box).toEqual({ x: 384 + 50, y: 288 + 60, width: 40, height: 40 });

    calls.length = 0;
    await new Engine(detector, f.classifier, f.cropper, { ...DEFAULT_ENGINE, tileGrid: 2 }, cutTile).process(
      's',
      0,
      frame,
    );
    expect(calls.filter((c) => c.startsWith('tile'))).toHaveLength(4);
  });

  it('does not tile when the frame already gives a face, or when tiling is off', async () => {
    const f = fakes([[det(100, 100)]]);
    let cuts = 0;
    const cutTile = () => {
      cuts++;
      return Promise.resolve({ close: () => undefined } as unknown as ImageBitmap);
    };
    await new Engine(f.detector, f.classifier, f.cropper, DEFAULT_ENGINE, cutTile).process('s', 0, frame);
    const g = fakes([[]]);
    await new Engine(
      g.detector,
      g.classifier,
      g.cropper,
      { ...DEFAULT_ENGINE, tiling: false },
      cutTile,
    ).process('s', 0, frame);
    expect(cuts).toBe(0);
  });

  it('looks in the tiles of a source that keeps coming up empty only now and then, and still finds a small face', async () => {
    const calls: string[] = [];
    const tiles = new Set<object>();
    let smallFaceFrom = Infinity;
    let frameNo = 0;
    const detector: FaceDetector = {
      name: 'faceless',
      detect: (image) => {
        const isTile = tiles.has(image);
        calls.push(isTile ? `tile ${String(frameNo)}` : `frame ${String(frameNo)}`);
        return Promise.resolve(isTile && frameNo >= smallFaceFrom ? [det(50, 60, 40)] : []);
      },
      close: () => undefined,
    };
    const cutTile = () => {
      const bitmap = { close: () => undefined } as unknown as ImageBitmap;
      tiles.add(bitmap);
      return Promise.resolve(bitmap);
    };
    const f = fakes([]);
    const engine = new Engine(
      detector,
      f.classifier,
      f.cropper,
      { ...DEFAULT_ENGINE, minFaceSize: 10 },
      cutTile,
    );
    // 20 faceless frames: tiles on the first 3 (patience), then on every 8th frame
    for (frameNo = 0; frameNo < 20; frameNo++) await engine.process('empty-room', frameNo * 500, frame);
    expect(calls.filter((c) => c.startsWith('frame'))).toHaveLength(20);
    const tiled = new Set(calls.filter((c) => c.startsWith('tile')).map((c) => Number(c.split(' ')[1])));
    expect([...tiled]).toEqual([0, 1, 2, 10, 18]);
    expect(calls).toHaveLength(20 + 9 * 5);
    // another source is not held back by this one
    calls.length = 0;
    await engine.process('other', 0, frame);
    expect(calls).toHaveLength(10);
    // a person who comes in small is found at the next look in tiles, and then every frame again
    smallFaceFrom = 21;
    const found: number[] = [];
    for (frameNo = 20; frameNo < 30; frameNo++)
      if ((await engine.process('empty-room', frameNo * 500, frame)).faces.length > 0) found.push(frameNo);
    expect(found).toEqual([26, 27, 28, 29]);
  });

  it('forgets a source that sent no frame for sourceIdleMs, and only that one', async () => {
    const f = fakes([[det(100, 100)]]);
    const engine = new Engine(f.detector, f.classifier, f.cropper, { ...DEFAULT_ENGINE, sourceIdleMs: 1000 });
    await engine.process('gone', 0, frame);
    await engine.process('stays', 0, frame);
    expect(engine.sourceIds).toEqual(['gone', 'stays']);
    const now = performance.now();
    // 'stays' keeps sending; 'gone' does not
    expect(engine.sweep(now + 500)).toEqual([]);
    expect(engine.sweep(now + 5000)).toEqual(['gone', 'stays']);
    expect(engine.sourceIds).toEqual([]);
    await engine.process('stays', 10, frame);
    expect(engine.sweep(performance.now() + 500)).toEqual([]);
    expect(engine.sourceIds).toEqual(['stays']);
    await engine.process('gone', 20, frame);
    engine.forgetSource('gone');
    expect(engine.sourceIds).toEqual(['stays']);
  });
});
