import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { EMOTIONS } from '../shared/emotions';
import type { FrameResult } from '../shared/protocol';
import { SessionStore } from '../shared/session-store';
import { summariseSession } from '../shared/summary';
import { SessionRecorder } from './session-recorder';

const page = { title: 'Weekly sync', url: 'https://meet.example.com/abc' };

function frame(sourceId: string, timestamp: number, emotion: number): FrameResult {
  const p = EMOTIONS.map((_, k) => (k === emotion ? 0.76 : 0.04));
  return {
    kind: 'result',
    sourceId,
    timestamp,
    width: 640,
    height: 360,
    faces: [
      {
        trackId: 1,
        primary: true,
        box: { x: 0, y: 0, width: 100, height: 100 },
        probabilities: p,
        dominant: EMOTIONS[emotion] as string,
        confidence: 0.76,
      },
    ],
    timings: { detectMs: 1, cropMs: 1, classifyMs: 1, totalMs: 3 },
  };
}

describe('SessionRecorder and the store', () => {
  it('downsamples at the session end, never on a frame’s way, and stores the summary then', async () => {
    const store = await SessionStore.open('recorder-store-1');
    const compact = vi.spyOn(store, 'compact');
    let sessionId: string | undefined;
    let clock = Date.UTC(2026, 10, 30, 9, 0, 0);
    const recorder = new SessionRecorder(
      () => Promise.resolve(store),
      {
        get: () => Promise.resolve({ sessionId, recording: true }),
        set: (_tab, id) => Promise.resolve(void (sessionId = id)),
      },
      { now: () => clock },
    );
    // 3 minutes of two tiles at 2 frames a second (the recorder used to downsample every minute)
    for (let i = 0; i < 3 * 120; i++) {
      clock += 500;
      await recorder.record(1, page, frame('v1', clock, i % 100 < 70 ? 3 : 4), 'Ada');
      await recorder.record(1, page, frame('v2', clock + 3, 6), 'Grace');
    }
    expect(compact).not.toHaveBeenCalled();
    const id = sessionId as string;
    const running = await store.summary(id);
    const data = await store.get(id);
    expect(data && running).toEqual(data && summariseSession(data));
    expect(running?.participants.map((p) => [p.name, p.samples])).toEqual([
      ['Ada', 360],
      ['Grace', 360],
    ]);

    await recorder.end(1);
    expect(compact).toHaveBeenCalledTimes(1);
    const ended = await store.summary(id);
    expect(ended?.participants.map((p) => p.samples)).toEqual([360, 360]);
    expect(ended?.shares).toEqual(running?.shares);
    // the timelines are downsampled (one sample a second), the summary is of the samples recorded
    const stored = await store.get(id);
    expect(stored?.timelines[0]?.t.length).toBeLessThanOrEqual(181);
    store.close();
  }, 60_000);
});
