/**
 * The engine's answers to frames taken together: each frame's bitmap (or its decoded JPEG) goes
 * through the engine in one `processFrames` call (one classification batch), and each gets the
 * reply the page gets. A frame that cannot be decoded is answered on its own; every bitmap is
 * closed once read.
 */
import type { FrameMessage, FrameReply } from '../shared/protocol';
import { isBlack } from './black-frame';
import type { Engine } from './engine';
import type { FrameResult } from './types';
import { decodeJpegDataUrl } from './jpeg-frame';

export async function answerFrames(engine: Engine, msgs: readonly FrameMessage[]): Promise<FrameReply[]> {
  const replies: (FrameReply | undefined)[] = msgs.map(() => undefined);
  const open: { index: number; msg: FrameMessage; bitmap: ImageBitmap }[] = [];
  try {
    for (const [index, msg] of msgs.entries()) {
      try {
        const bitmap = msg.bitmap ?? (await decodeJpegDataUrl(msg.jpeg ?? ''));
        // (a bitmap was looked at when it arrived; a JPEG only now that it is decoded)
        if (!msg.bitmap && isBlack(bitmap)) {
          bitmap.close();
          replies[index] = { kind: 'black', sourceId: msg.sourceId, timestamp: msg.timestamp };
        } else open.push({ index, msg, bitmap });
      } catch (error) {
        replies[index] = {
          kind: 'unavailable',
          reason: error instanceof Error ? error.message : String(error),
        };
      }
    }
    const results = await engine.processFrames(
      open.map(({ msg, bitmap }) => ({ sourceId: msg.sourceId, timestamp: msg.timestamp, frame: bitmap })),
    );
    open.forEach(({ index }, i) => {
      const r = results[i];
      if (r) replies[index] = toReply(r);
    });
  } finally {
    for (const { bitmap } of open) bitmap.close();
  }
  return replies.map((r) => r ?? { kind: 'unavailable', reason: 'the engine gave no answer' });
}

function toReply(r: FrameResult): FrameReply {
  return {
    kind: 'result',
    sourceId: r.sourceId,
    timestamp: r.timestamp,
    width: r.width,
    height: r.height,
    faces: r.faces.map((f) => ({
      trackId: f.trackId,
      primary: f.primary,
      box: f.box,
      probabilities: f.probabilities,
      dominant: f.dominant,
      confidence: f.confidence,
    })),
    timings: r.timings,
  };
}
