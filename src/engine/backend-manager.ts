/**
 * Keeps the classifier running on a working tfjs back end for the life of the host. The back end is
 * chosen at start by probe (backend-choice.ts). When it breaks mid-session (a lost WebGPU device, a
 * lost WebGL context, a back end that throws) the manager marks it failed, moves to the next
 * working one and runs the batch again there, so the engine keeps its tracks and the caller sees
 * one slower answer instead of an error. A user override switches back ends the same way.
 */
import {
  BACKEND_ORDER,
  chooseBackend,
  type BackendChoice,
  type BackendName,
  type ProbeOutcome,
} from './backend-choice';
import type { Classifier } from './engine';

export interface DisposableClassifier extends Classifier {
  dispose(): void;
}

/** What the manager needs from tfjs; the host implements it, unit tests fake it. */
export interface BackendRuntime {
  /** Times a small classification on the back end (ms); throws when it does not work. */
  probe(name: BackendName): Promise<number>;
  /** Makes the back end current and loads the classifier on it. */
  activate(name: BackendName): Promise<DisposableClassifier>;
  /**
   * Watches the active back end for loss of its device or context. Calls `lost` at most once;
   * `check` answers synchronously whether it is lost already (a lost WebGL context returns zeros
   * rather than failing, so results are checked after each batch).
   */
  watch(name: BackendName, lost: (reason: string) => void): { check(): string | undefined; stop(): void };
  /** Tears a failed back end down so that it is not used again. */
  remove(name: BackendName): void;
}

export interface BackendState {
  backend: BackendName;
  reason: string;
  probes: ProbeOutcome[];
  /** Back ends that broke during this session, with why. */
  failed: { name: BackendName; error: string }[];
  /** How many times the manager moved to another back end because one broke. */
  recoveries: number;
}

class BackendLost extends Error {}

export class BackendManager implements Classifier {
  private active:
    | {
        name: BackendName;
        classifier: DisposableClassifier;
        watcher: ReturnType<BackendRuntime['watch']>;
        lost: Promise<never>;
      }
    | undefined;
  private failed = new Map<BackendName, string>();
  private recoveries = 0;
  private choice: BackendChoice | undefined;
  private reasonOverride: string | undefined;
  private switching: Promise<void> | undefined;

  constructor(
    private readonly runtime: BackendRuntime,
    private override?: BackendName,
    private readonly onChange: (state: BackendState) => void = () => undefined,
    /** A back end whose probe takes longer than this counts as not working. */
    private readonly probeTimeoutMs = 15_000,
  ) {}

  get state(): BackendState {
    if (!this.active || !this.choice) throw new Error('no back end is active');
    return {
      backend: this.active.name,
      reason: this.reasonOverride ?? this.choice.reason,
      probes: this.choice.outcomes,
      failed: [...this.failed].map(([name, error]) => ({ name, error })),
      recoveries: this.recoveries,
    };
  }

  /** Chooses and activates a back end (every one that has not failed this session is a candidate). */
  async start(): Promise<BackendState> {
    await this.select(undefined);
    return this.state;
  }

  /** Changes the user's override (undefined: automatic) and switches now if it changes the choice. */
  async setOverride(override: BackendName | undefined): Promise<BackendState> {
    this.override = override;
    await this.exclusive(() => this.select(undefined));
    return this.state;
  }

  async classify(faces: readonly Uint8Array[]): Promise<Float32Array[]> {
    if (this.switching) await this.switching;
    for (let attempt = 0; ; attempt++) {
      const active = this.active;
      if (!active) throw new Error('no back end is active');
      try {
        const already = active.watcher.check();
        if (already) throw new BackendLost(already);
        const out = await Promise.race([active.classifier.classify(faces), active.lost]);
        const after = active.watcher.check();
        if (after) throw new BackendLost(after);
        return out;
      } catch (error) {
        if (attempt >= 3) throw error;
        const why = error instanceof Error ? error.message : String(error);
        await this.exclusive(async () => {
          // another batch may have moved on already
          if (this.active === active) await this.fail(active.name, why);
        });
      }
    }
  }

  private async exclusive(work: () => Promise<void>): Promise<void> {
    while (this.switching) await this.switching;
    const run = work();
    this.switching = run.finally(() => (this.switching = undefined));
    await this.switching;
  }

  private async fail(name: BackendName, why: string): Promise<void> {
    this.failed.set(name, why);
    this.recoveries++;
    await this.select(`${name} stopped working (${why})`);
  }

  private release(): void {
    const active = this.active;
    if (!active) return;
    this.active = undefined;
    active.watcher.stop();
    try {
      active.classifier.dispose();
    } catch {
      // the weights lived on a device that is gone
    }
    if (this.failed.has(active.name)) {
      try {
        this.runtime.remove(active.name);
      } catch {
        // nothing left to tear down
      }
    }
  }

  private async select(brokenBecause: string | undefined): Promise<void> {
    const candidates = BACKEND_ORDER.filter((n) => !this.failed.has(n));
    const override = this.override && !this.failed.has(this.override) ? this.override : undefined;
    const previous = this.active?.name;
    // the back end in use may be probed again: it must be current for its probe
    this.release();
    const choice = await chooseBackend((n) => this.runtime.probe(n), {
      override,
      candidates,
      timeoutMs: this.probeTimeoutMs,
    });
    const classifier = await this.runtime.activate(choice.chosen);
    let lostReject: (e: Error) => void = () => undefined;
    const lost = new Promise<never>((_, reject) => (lostReject = reject));
    lost.catch(() => undefined); // observed through Promise.race only
    const watcher = this.runtime.watch(choice.chosen, (reason) => lostReject(new BackendLost(reason)));
    this.active = { name: choice.chosen, classifier, watcher, lost };
    this.choice = choice;
    this.reasonOverride = brokenBecause
      ? `${brokenBecause}; switched to ${choice.chosen}, the fastest that still works`
      : undefined;
    if (previous !== choice.chosen || brokenBecause) this.onChange(this.state);
  }

  dispose(): void {
    this.release();
  }
}
