/**
 * The engine's answer to one frame: the frame's bitmap (or its decoded JPEG) through the engine,
 * as the reply the page gets. The bitmap is closed once read.
 */
import type { FrameMessage, FrameReply } from '../shared/protocol';
import { isBlack } from './black-frame';
import type { Engine } from './engine';
import { decodeJpegDataUrl } from './jpeg-frame';

export async function answerFrame(engine: Engine, msg: FrameMessage): Promise<FrameReply> {
  const bitmap = msg.bitmap ?? (await decodeJpegDataUrl(msg.jpeg ?? ''));
  try {
    // (a bitmap was looked at when it arrived; a JPEG only now that it is decoded)
    if (!msg.bitmap && isBlack(bitmap))
      return { kind: 'black', sourceId: msg.sourceId, timestamp: msg.timestamp };
    const r = await engine.process(msg.sourceId, msg.timestamp, bitmap);
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
  } finally {
    bitmap.close();
  }
}
