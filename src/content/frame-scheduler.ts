/**
 * Which video to sample next: each video at most `perVideoFps`, all together at most `budgetFps`,
 * round-robin (the video that has waited longest goes first), never a video whose previous frame
 * is still in the engine. Pure, so the fairness rules are unit-tested.
 */
export interface SchedulerOptions {
  perVideoFps: number;
  budgetFps: number;
}

export const DEFAULT_SCHEDULER: SchedulerOptions = { perVideoFps: 2, budgetFps: 10 };

export interface Candidate {
  id: string;
  inFlight: boolean;
  /** When its last frame was sent (ms), or -Infinity. */
  lastSent: number;
}

export class FrameScheduler {
  private lastAny = -Infinity;

  constructor(private options: SchedulerOptions = DEFAULT_SCHEDULER) {}

  configure(patch: Partial<SchedulerOptions>): void {
    this.options = { ...this.options, ...patch };
  }

  /** The id to sample now, or undefined; records the send. */
  next(now: number, candidates: readonly Candidate[]): string | undefined {
    if (now - this.lastAny < 1000 / this.options.budgetFps) return undefined;
    const due = candidates
      .filter((c) => !c.inFlight && now - c.lastSent >= 1000 / this.options.perVideoFps)
      .sort((a, b) => a.lastSent - b.lastSent);
    const pick = due[0];
    if (pick) this.lastAny = now;
    return pick?.id;
  }

  /** Milliseconds until a send could be due. */
  get interval(): number {
    return 1000 / this.options.budgetFps;
  }
}
