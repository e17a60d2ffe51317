/**
 * Choosing the tfjs back end at start-up: each candidate is set up and timed on a small
 * classification by `probe`; the fastest that works wins (cpu only when nothing else works). A
 * user override is honoured when it works. Probes that hang are cut off after `timeoutMs`. Back ends
 * in `skip` (absent, or a software renderer: gpu-info.ts) are not probed, unless the user chose one.
 */
import { BACKEND_NAMES, type BackendName } from '../shared/protocol';

export const BACKEND_ORDER = BACKEND_NAMES;
export type { BackendName };

export interface ProbeOutcome {
  name: BackendName;
  ok: boolean;
  /** Median milliseconds of the probe's timed runs. */
  ms?: number;
  error?: string;
}

export interface BackendChoice {
  chosen: BackendName;
  outcomes: ProbeOutcome[];
  /** Why this one, in words for the popup. */
  reason: string;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export async function chooseBackend(
  probe: (name: BackendName) => Promise<number>,
  {
    override,
    candidates = BACKEND_ORDER,
    timeoutMs = 15_000,
    skip = new Map(),
  }: {
    override?: BackendName;
    candidates?: readonly BackendName[];
    timeoutMs?: number;
    /** Back ends not worth probing here, with why. */
    skip?: ReadonlyMap<BackendName, string>;
  } = {},
): Promise<BackendChoice> {
  const outcomes: ProbeOutcome[] = [];
  const run = async (name: BackendName): Promise<ProbeOutcome> => {
    try {
      const ms = await withTimeout(probe(name), timeoutMs, `the ${name} back end`);
      return { name, ok: true, ms };
    } catch (error) {
      return { name, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  };
  if (override) {
    const o = await run(override);
    outcomes.push(o);
    if (o.ok) return { chosen: override, outcomes, reason: `${override}, as set in the settings` };
  }
  for (const name of candidates) {
    if (name === 'cpu' || name === override) continue;
    const why = skip.get(name);
    outcomes.push(why === undefined ? await run(name) : { name, ok: false, error: `not probed: ${why}` });
  }
  // a working override returned above, so every working outcome here is a candidate
  const working = outcomes.filter((o) => o.ok);
  const fastest = working.sort((a, b) => (a.ms ?? Infinity) - (b.ms ?? Infinity))[0];
  if (fastest) {
    const prefix = override ? `${override} failed (${outcomes[0]?.error ?? 'unknown error'}); ` : '';
    return {
      chosen: fastest.name,
      outcomes,
      reason: `${prefix}${fastest.name} was the fastest that works (${fastest.ms?.toFixed(1)} ms per probe)`,
    };
  }
  if (!candidates.includes('cpu'))
    throw new Error(
      `no TensorFlow.js back end works here: ${outcomes.map((o) => `${o.name}: ${o.error ?? 'failed'}`).join('; ')}`,
    );
  const cpu = await run('cpu');
  outcomes.push(cpu);
  if (cpu.ok)
    return {
      chosen: 'cpu',
      outcomes,
      reason: 'no accelerated back end works here; using the slow cpu back end',
    };
  throw new Error(
    `no TensorFlow.js back end works here: ${outcomes.map((o) => `${o.name}: ${o.error ?? 'failed'}`).join('; ')}`,
  );
}
