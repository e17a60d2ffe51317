/**
 * Frames on their way to the engine, processed one at a time: a newer frame of the same source
 * replaces one still waiting, which is answered `dropped` (and its bitmap closed).
 */
import type { FrameMessage, FrameReply } from '../shared/protocol';
import { LatestFrameQueue } from './frame-queue';

export class FramePump {
  private readonly queue = new LatestFrameQueue<{ msg: FrameMessage; reply: (r: FrameReply) => void }>(
    (item) => {
      item.msg.bitmap?.close();
      item.reply({ kind: 'dropped', sourceId: item.msg.sourceId, timestamp: item.msg.timestamp });
    },
  );
  private pumping = false;

  /** `process` answers one frame; a failure is answered `unavailable` with its message. */
  constructor(private readonly process: (msg: FrameMessage) => Promise<FrameReply>) {}

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

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let item = this.queue.take(); item; item = this.queue.take()) {
        const { msg, reply } = item.frame;
        try {
          reply(await this.process(msg));
        } catch (error) {
          reply({ kind: 'unavailable', reason: error instanceof Error ? error.message : String(error) });
        }
      }
    } finally {
      this.pumping = false;
    }
  }
}
