/**
 * Flow control: at most one pending frame per source. A newer frame replaces the older one, which
 * is released (ImageBitmap.close / VideoFrame.close) so no GPU memory piles up; sources are served
 * round-robin so a busy tile cannot starve the others.
 */
export interface Pending<F> {
  sourceId: string;
  timestamp: number;
  frame: F;
}

export class LatestFrameQueue<F> {
  private pending = new Map<string, Pending<F>>();
  private order: string[] = [];
  dropped = 0;

  constructor(private readonly release: (frame: F) => void = () => undefined) {}

  push(item: Pending<F>): void {
    const old = this.pending.get(item.sourceId);
    if (old) {
      this.release(old.frame);
      this.dropped++;
    } else {
      this.order.push(item.sourceId);
    }
    this.pending.set(item.sourceId, item);
  }

  /** The next frame, from the source that has waited longest. */
  take(): Pending<F> | undefined {
    const sourceId = this.order.shift();
    if (sourceId === undefined) return undefined;
    const item = this.pending.get(sourceId);
    this.pending.delete(sourceId);
    return item;
  }

  /** Drops (and releases) a vanished source's pending frame. */
  forget(sourceId: string): void {
    const old = this.pending.get(sourceId);
    if (!old) return;
    this.release(old.frame);
    this.pending.delete(sourceId);
    this.order = this.order.filter((s) => s !== sourceId);
  }

  get size(): number {
    return this.pending.size;
  }
}
