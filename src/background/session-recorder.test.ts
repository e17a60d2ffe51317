import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../shared/emotions';
import { SessionStore } from '../shared/session-store';
import type { FrameResult } from '../shared/protocol';
import { SessionRecorder } from './session-recorder';

let n = 0;
const page = { title: 'Weekly sync', url: 'https://meet.example.com/abc-defg-hij?authuser=0' };

function setup() {
  const storePromise = SessionStore.open(`recorder-${++n}`);
  const refs = new Map<number, string>();
  const off = new Set<number>();
  /** While set, clearing a tab's session id waits for it (to hold an ending half done). */
  let unsetGate: Promise<void> | undefined;
  let clock = 1_000_000;
  const recorder = new SessionRecorder(
    () => storePromise,
    {
      get: (tab) => Promise.resolve({ sessionId: refs.get(tab), recording: !off.has(tab) }),
      set: async (tab, id) => {
        if (id) refs.set(tab, id);
        else {
          await unsetGate;
          refs.delete(tab);
        }
      },
    },
    { now: () => clock },
  );
  const holdEnding = () => {
    let release = () => {};
    unsetGate = new Promise((resolve) => (release = resolve));
    return release;
  };
  return {
    recorder,
    storePromise,
    refs,
    off,
    holdEnding,
    tick: (ms: number) => (clock += ms),
    now: () => clock,
  };
}

/** A frame of `tracks`; the engine marked `primary` (the first track unless told; null: none) as the tile's face. */
function result(
  sourceId: string,
  timestamp: number,
  tracks: number[],
  emotion = 3,
  primary: number | null = tracks[0] ?? null,
): FrameResult {
  const p = EMOTIONS.map((_, k) => (k === emotion ? 0.76 : 0.04));
  return {
    kind: 'result',
    sourceId,
    timestamp,
    width: 640,
    height: 360,
    faces: tracks.map((trackId) => ({
      trackId,
      primary: trackId === primary,
      box: { x: 0, y: 0, width: 100, height: 100 },
      probabilities: p,
      dominant: EMOTIONS[emotion] as string,
      confidence: 0.76,
    })),
    timings: { detectMs: 1, cropMs: 1, classifyMs: 1, totalMs: 3 },
  };
}

describe('SessionRecorder', () => {
  it('creates one session per tab on the first frame, even for concurrent frames, and stores every face', async () => {
    const { recorder, storePromise, refs, now } = setup();
    await Promise.all([
      recorder.record(1, page, result('v1', now(), [1]), 'Ada'),
      recorder.record(1, page, result('v2', now() + 1, [1, 2])),
      recorder.record(2, page, result('v1', now() + 2, [5]), 'Linus'),
    ]);
    const store = await storePromise;
    const sessions = await store.list();
    expect(sessions).toHaveLength(2);
    const data = await store.get(refs.get(1) ?? '');
    expect(data?.meta.origin).toBe('https://meet.example.com');
    expect(data?.meta.title).toBe('Weekly sync');
    expect(data?.meta.participants.map((p) => [p.id, p.name])).toEqual([
      ['v1', 'Ada'],
      ['v2', 'Participant 2'],
      ['v2/2', 'Participant 3'],
    ]);
    expect(data?.meta.samples).toBe(3);
  });

  it('records the face the engine marks primary as the tile, whatever its track id, and no other face', async () => {
    const { recorder, storePromise, refs, now, tick } = setup();
    // the person came back as track 9 after a long gap; a poster (track 4) stayed in view
    await recorder.record(1, page, result('v1', now(), [4, 9], 3, 9), 'Ada');
    tick(100);
    // the detector misses the person for a frame: the poster is still not the participant
    await recorder.record(1, page, result('v1', now(), [4], 5, null), 'Ada');
    const data = await (await storePromise).get(refs.get(1) ?? '');
    expect(data?.meta.participants.map((p) => [p.id, p.name])).toEqual([
      ['v1/4', 'Ada (another face)'],
      ['v1', 'Ada'],
    ]);
    expect(data?.timelines.map((t) => [t.participantId, t.t.length])).toEqual([
      ['v1/4', 2],
      ['v1', 1],
    ]);
    const live = await recorder.liveStats(1);
    expect(live.faces.map((f) => [f.participantId, f.dominant])).toEqual([
      ['v1/4', 'surprise'],
      ['v1', 'happy'],
    ]);
  });

  it('takes the page label for a default-named participant later, and ends the session', async () => {
    const { recorder, storePromise, refs, now, tick } = setup();
    await recorder.record(1, page, result('v1', now(), [1]));
    tick(500);
    await recorder.record(1, page, result('v1', now(), [1]), 'Grace');
    const id = refs.get(1) ?? '';
    tick(500);
    expect(await recorder.end(1)).toBe(id);
    expect(refs.has(1)).toBe(false);
    const meta = await (await storePromise).getMeta(id);
    expect(meta?.participants[0]?.name).toBe('Grace');
    expect(meta?.endedAt).toBe(now());
    // the next frame starts a new session
    await recorder.record(1, page, result('v1', now(), [1]));
    expect(refs.get(1)).not.toBe(id);
  });

  it('writes a frame that came before the end into the session, before the session ends', async () => {
    const { recorder, storePromise, refs, now, tick } = setup();
    await recorder.record(1, page, result('v1', now(), [1]));
    const id = refs.get(1) ?? '';
    tick(100);
    // the page navigates: the session ends while the last frame is still being taken in
    const late = recorder.record(1, page, result('v1', now(), [1]));
    const ended = recorder.end(1);
    await Promise.all([late, ended]);
    expect(refs.has(1)).toBe(false);
    expect(await (await storePromise).list()).toHaveLength(1);
    const data = await (await storePromise).get(id);
    expect(data?.meta.samples).toBe(2);
    expect(data?.meta.endedAt).toBe(now());
  });

  it('neither starts a new session nor adds to the ended one for frames that arrive while and after it ends', async () => {
    const { recorder, storePromise, refs, off, holdEnding, now, tick } = setup();
    await recorder.record(1, page, result('v1', now(), [1]));
    await recorder.record(1, page, result('v2', now(), [1]));
    const id = refs.get(1) ?? '';
    off.add(1); // analysis is switched off, then the session ends
    const release = holdEnding();
    const ended = recorder.end(1);
    // frames keep coming from the page while the ending is half done, and after it
    const stragglers: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      tick(10);
      stragglers.push(recorder.record(1, page, result(i % 2 ? 'v1' : 'v2', now(), [1])));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    release();
    expect(await ended).toBe(id);
    stragglers.push(recorder.record(1, page, result('v1', now() + 1, [1])));
    await Promise.all(stragglers);
    const store = await storePromise;
    expect((await store.list()).map((s) => s.id)).toEqual([id]);
    expect(refs.has(1)).toBe(false);
    const meta = await store.getMeta(id);
    expect(meta?.samples).toBe(2);
    expect(meta?.endedAt).toBeDefined();
  });

  it('reports live faces, frames per second and latency', async () => {
    const { recorder, now, tick } = setup();
    for (let i = 0; i < 5; i++) {
      await recorder.record(1, page, result('v1', now() - 40, [1], 5));
      tick(500);
    }
    const live = await recorder.liveStats(1);
    expect(live.faces.map((f) => [f.participantId, f.dominant])).toEqual([['v1', 'surprise']]);
    expect(live.fps).toBeCloseTo(2, 5);
    expect(live.latencyMs).toBe(40);
    tick(11_000);
    expect((await recorder.liveStats(1)).faces).toEqual([]);
  });

  it('stores nothing for a frame without faces, and fails a record when its session was deleted', async () => {
    const { recorder, storePromise, refs, now } = setup();
    await recorder.record(1, page, result('v1', now(), []));
    expect(refs.has(1)).toBe(false);
    await recorder.record(1, page, result('v1', now(), [1]));
    await (await storePromise).delete(refs.get(1) ?? '');
    await expect(recorder.record(1, page, result('v1', now() + 1, [1]))).rejects.toThrow(/does not exist/);
    expect((await recorder.liveStats(1)).storeError).toMatch(/does not exist/);
  });
});
