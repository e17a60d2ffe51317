/**
 * Keeps the classifier running on a working tfjs back end for the life of the host. The back end is
 * chosen at start by probe (backend-choice.ts). When it breaks mid-session (a lost WebGPU device, a
 * lost WebGL context, a back end that throws) the manager marks it failed, moves to the next
 * working one and runs the batch again there, so the engine keeps its tracks and the caller sees
 * one slower answer instead of an error. A user override switches back ends the same way.
 * Start-up is quick where it can be: back ends the browser reports absent or software-only are not
 * probed, a back end remembered from the last start in this browser is loaded without probing, and
 * back ends that lost the probe are released (their GPU memory and contexts given back).
 */
import {
  BACKEND_ORDER,
  chooseBackend,
  withTimeout,
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
  /** Gives back what a working back end that is not in use holds (it may be set up again later). */
  release(name: BackendName): void;
}

export interface StartOptions {
  /** Back ends not worth probing here (absent, software renderer), with why. */
  skip?: ReadonlyMap<BackendName, string>;
  /** The back end that worked at the last start in this browser: loaded first, without a probe. */
  remembered?: BackendName | undefined;
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

/**
 * The active back end's loss, for the batches running on it. Not a promise raced against each
 * batch: a promise that never settles keeps every reaction added to it, and so every batch's
 * race and its result, for the back end's life (the offscreen document grew by one promise, two
 * closures and the batch's output per frame). Each batch waits here only while it runs.
 */
export class LossSignal {
  private error: Error | undefined;
  private readonly waiting = new Set<(error: Error) => void>();

  /** The back end is lost: the batches running now fail with `error`, and any later one at once. */
  trip(error: Error): void {
    if (this.error) return;
    this.error = error;
    for (const fail of this.waiting) fail(error);
    this.waiting.clear();
  }

  /** `work`'s outcome, or the loss if it comes first. */
  race<T>(work: Promise<T>): Promise<T> {
    const error = this.error;
    if (error) {
      work.catch(() => undefined); // its outcome no longer matters
      return Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.add(reject);
      work.then(resolve, reject).finally(() => this.waiting.delete(reject));
    });
  }

  /** Batches waiting (tests). */
  get size(): number {
    return this.waiting.size;
  }
}

export class BackendManager implements Classifier {
  private active:
    | {
        name: BackendName;
        classifier: DisposableClassifier;
        watcher: ReturnType<BackendRuntime['watch']>;
        lost: LossSignal;
      }
    | undefined;
  private failed = new Map<BackendName, string>();
  private recoveries = 0;
  private choice: BackendChoice | undefined;
  private reasonOverride: string | undefined;
  private switching: Promise<void> | undefined;
  private skip: ReadonlyMap<BackendName, string> = new Map();

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
  async start({ skip, remembered }: StartOptions = {}): Promise<BackendState> {
    this.skip = skip ?? new Map();
    // cpu is the last resort, never a choice worth keeping: a start that fell back to it probes again
    const resumable = remembered && remembered !== 'cpu' && !this.override && !this.skip.has(remembered);
    if (resumable && (await this.resume(remembered))) return this.state;
    await this.select(undefined);
    return this.state;
  }

  /** Loads the remembered back end without probing; false when it does not work any more. */
  private async resume(name: BackendName): Promise<boolean> {
    try {
      this.install(
        name,
        await withTimeout(this.runtime.activate(name), this.probeTimeoutMs, `the ${name} back end`),
      );
    } catch {
      try {
        this.runtime.release(name);
      } catch {
        // nothing was set up
      }
      return false;
    }
    this.choice = {
      chosen: name,
      // not timed this start; the back ends not worth probing here still say why
      outcomes: [
        { name, ok: true },
        ...[...this.skip].map(([n, why]) => ({ name: n, ok: false, error: `not probed: ${why}` })),
      ],
      reason: `${name}, remembered from the last start in this browser (not probed again)`,
    };
    this.onChange(this.state);
    return true;
  }

  private install(name: BackendName, classifier: DisposableClassifier): void {
    const lost = new LossSignal();
    const watcher = this.runtime.watch(name, (reason) => lost.trip(new BackendLost(reason)));
    this.active = { name, classifier, watcher, lost };
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
        const out = await active.lost.race(active.classifier.classify(faces));
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
      skip: this.skip,
    });
    this.install(choice.chosen, await this.runtime.activate(choice.chosen));
    // the back ends that worked but lost hold contexts and memory for nothing
    for (const o of choice.outcomes)
      if (o.ok && o.name !== choice.chosen) {
        try {
          this.runtime.release(o.name);
        } catch {
          // already gone
        }
      }
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
