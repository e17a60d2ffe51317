/**
 * Temporal smoothing of each track's probabilities: an exponential moving average whose weight
 * depends on the time since the last frame (so an irregular frame rate smooths the same way), with
 * half-life `halfLifeMs`. A half-life of 0 switches smoothing off: the output is the raw frame.
 */
export class ProbabilitySmoother {
  private state = new Map<number, { probs: Float32Array; at: number }>();

  constructor(private halfLifeMs: number) {}

  setHalfLife(ms: number): void {
    this.halfLifeMs = Math.max(0, ms);
  }

  smooth(trackId: number, probs: Float32Array, at: number): Float32Array {
    const prev = this.state.get(trackId);
    let out: Float32Array;
    if (!prev || this.halfLifeMs <= 0 || prev.probs.length !== probs.length) {
      out = Float32Array.from(probs);
    } else {
      const dt = Math.max(0, at - prev.at);
      const keep = Math.pow(0.5, dt / this.halfLifeMs);
      out = probs.map((p, i) => keep * (prev.probs[i] as number) + (1 - keep) * p);
    }
    this.state.set(trackId, { probs: out, at });
    return out;
  }

  /** Forgets tracks that are gone. */
  retain(trackIds: Iterable<number>): void {
    const keep = new Set(trackIds);
    for (const id of this.state.keys()) if (!keep.has(id)) this.state.delete(id);
  }
}
