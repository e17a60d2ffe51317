/**
 * Frames on their way to the engine. One batch is processed at a time: the frames waiting when
 * the engine is free (at most one a source, up to `maxBatch`), so that a busy engine classifies
 * several sources' faces together while an idle one answers a lone frame at once. A newer frame of
 * the same source replaces one still waiting, which is answered `dropped` (and its bitmap closed).
 */
import type { FrameMessage, FrameReply } from '../shared/protocol';
import { LatestFrameQueue } from './frame-queue';

/** Frames a batch: nine sources, the largest gallery of the benchmark (src/engine/README.md). */
export const MAX_FRAMES_A_BATCH = 9;

interface Waiting {
  msg: FrameMessage;
  reply: (r: FrameReply) => void;
}

export class FramePump {
  private readonly queue = new LatestFrameQueue<Waiting>((item) => {
    item.msg.bitmap?.close();
    item.reply({ kind: 'dropped', sourceId: item.msg.sourceId, timestamp: item.msg.timestamp });
  });
  private pumping = false;

  /**
   * `process` answers a batch of frames, one reply each in their order; a failure is answered
   * `unavailable` with its message for every frame of the batch.
   */
  constructor(
    private readonly process: (msgs: FrameMessage[]) => Promise<FrameReply[]>,
    private readonly maxBatch = MAX_FRAMES_A_BATCH,
  ) {}

  push(msg: FrameMessage): Promise<FrameReply> {
    return new Promise((reply) => {
      this.queue.push({ sourceId: msg.sourceId, timestamp: msg.timestamp, frame: { msg, reply } });
      void this.pump();
    });
  }

  /** Drops the source's waiting frame, if any (it is answered `dropped`). */
  forget(sourceId: string): void {
    this.queue.forget(sourceId);
  }

  private take(): Waiting[] {
    const batch: Waiting[] = [];
    while (batch.length < this.maxBatch) {
      const item = this.queue.take();
      if (!item) break;
      batch.push(item.frame);
    }
    return batch;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let batch = this.take(); batch.length > 0; batch = this.take()) {
        try {
          const replies = await this.process(batch.map((w) => w.msg));
          batch.forEach((w, i) =>
            w.reply(replies[i] ?? { kind: 'unavailable', reason: 'the engine gave no answer' }),
          );
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          for (const w of batch) w.reply({ kind: 'unavailable', reason });
        }
      }
    } finally {
      this.pumping = false;
    }
  }
}
