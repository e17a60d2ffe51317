/**
 * The engine benchmark's results and how they print (pure): per back end, one table of the
 * classifiers (ms per face with tfjs wasm threads off and on, accuracy and macro F1 on the same
 * PublicTest faces) and one of the whole engine (frames and faces per second with N faces a frame).
 */
import { classificationReport } from '../../src/engine/fer/metrics.ts';
import { EMOTIONS } from '../../src/shared/emotions.ts';

export type ThreadMode = 'off' | 'on';
/**
 * N faces in one frame (a gallery), or N sources of one face each (separate videos), their frames
 * one at a time or all in one batch (as the extension's engine takes the frames that waited).
 */
export type EngineLayout = 'grid' | 'sources' | 'batched';

/** One page's run: a back end with tfjs wasm threads off or on. */
export interface ModeRun {
  /** tfjs's wasm thread count (getThreadsCount), 0 on other back ends. */
  threads: number;
  isolated: boolean;
  /** Per model key: the predicted class of each face and the median ms per face. */
  models: Record<string, { pred: number[]; msPerFace: number }>;
  /**
   * Per N faces and layout: faces found, the bare detector's ms and the whole engine's ms per frame
   * (grid) or per round of one frame from each source (sources, batched), medians.
   */
  engine: { tiles: number; layout: EngineLayout; found: number; detectMs: number; totalMs: number }[];
}

export interface BackendRun {
  backend: string;
  modes: Partial<Record<ThreadMode, ModeRun>>;
  /** Why a mode has no run (threads could not start, the page crashed). */
  errors: Partial<Record<ThreadMode, string>>;
}

/** A model row: its key in ModeRun.models, and what the table calls it. */
export interface ModelInfo {
  key: string;
  name: string;
  input: string;
}

export interface ModelScore {
  key: string;
  msPerFace: Partial<Record<ThreadMode, number>>;
  accuracy: number;
  macroF1: number;
  /** Faces whose predicted class differs between threads off and on (0 when one is missing). */
  threadsChanged: number;
}

/** Accuracy and macro F1 from the first mode that ran (threads off, else on). */
export function scoreModels(
  run: BackendRun,
  models: readonly ModelInfo[],
  labels: readonly number[],
): ModelScore[] {
  const first = run.modes.off ?? run.modes.on;
  return models.flatMap((m) => {
    const pred = first?.models[m.key]?.pred;
    if (!pred) return [];
    const r = classificationReport(labels, pred, EMOTIONS);
    const on = run.modes.on?.models[m.key]?.pred;
    const off = run.modes.off?.models[m.key]?.pred;
    return [
      {
        key: m.key,
        msPerFace: {
          off: run.modes.off?.models[m.key]?.msPerFace,
          on: run.modes.on?.models[m.key]?.msPerFace,
        },
        accuracy: r.accuracy,
        macroF1: r.macro_f1,
        threadsChanged: on && off ? on.filter((p, i) => p !== off[i]).length : 0,
      },
    ];
  });
}

const f = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));

function modeTitle(run: BackendRun, mode: ThreadMode): string {
  const m = run.modes[mode];
  if (!m) return `threads ${mode}: not measured (${run.errors[mode] ?? 'not run'})`;
  const iso = m.isolated ? 'cross-origin isolated' : 'not isolated';
  return `threads ${mode}: ${m.threads} thread${m.threads === 1 ? '' : 's'}, ${iso}`;
}

/** "1 face, 640x480", "4 faces in one 640x480 frame", "9 sources of 640x480, one face each", "…, in one batch". */
export function engineRowName(tiles: number, layout: EngineLayout): string {
  if (tiles === 1) return '1 face, 640x480';
  if (layout === 'sources') return `${tiles} sources of 640x480, one face each, a frame at a time`;
  if (layout === 'batched') return `${tiles} sources of 640x480, one face each, in one batch`;
  const grid = Math.ceil(Math.sqrt(tiles));
  return `${tiles} faces in one ${320 * grid}x${240 * grid} frame`;
}

/** The two markdown tables of one back end, with a heading line and notes. */
export function backendTables(
  run: BackendRun,
  models: readonly ModelInfo[],
  labels: readonly number[],
): string {
  const lines: string[] = [];
  const wasm = run.backend === 'wasm';
  const modes: ThreadMode[] = wasm ? ['off', 'on'] : ['off'];
  lines.push(
    `### ${run.backend}${wasm ? ` (${modes.map((m) => modeTitle(run, m)).join('; ')})` : run.modes.off ? '' : `: not measured (${run.errors.off ?? 'not run'})`}`,
    '',
  );
  const scores = scoreModels(run, models, labels);
  if (scores.length > 0) {
    const head = wasm ? '| ms/face, threads off | ms/face, threads on ' : '| ms/face ';
    lines.push(`| model | input ${head}| accuracy | macro F1 |`);
    lines.push(`| --- | --- | --- ${wasm ? '| --- ' : ''}| --- | --- |`);
    for (const s of scores) {
      const m = models.find((x) => x.key === s.key);
      const ms = modes.map((mode) => f(s.msPerFace[mode], 2)).join(' | ');
      lines.push(
        `| ${m?.name ?? s.key} | ${m?.input ?? ''} | ${ms} | ${f(s.accuracy * 100)} % | ${f(s.macroF1, 3)} |`,
      );
    }
    lines.push('');
    const changed = scores.filter((s) => s.threadsChanged > 0);
    if (changed.length > 0) {
      lines.push(
        `Threads on changed the predicted class of ${changed.map((s) => `${s.threadsChanged} faces (${s.key})`).join(', ')}; accuracy is from threads off.`,
        '',
      );
    }
  }
  const tiles = (run.modes.off ?? run.modes.on)?.engine ?? [];
  if (tiles.length > 0) {
    const cols = modes.map((m) =>
      wasm ? `frames/s a source, threads ${m} | faces/s, threads ${m}` : 'frames/s a source | faces/s',
    );
    lines.push(`| engine | faces found | detection ms a round | ${cols.join(' | ')} |`);
    lines.push(`| --- | --- | --- | ${modes.map(() => '--- | ---').join(' | ')} |`);
    for (const e of tiles) {
      const per = modes.map((mode) => {
        const r = run.modes[mode]?.engine.find((x) => x.tiles === e.tiles && x.layout === e.layout);
        return r ? `${f(1000 / r.totalMs)} | ${f((1000 / r.totalMs) * r.found)}` : '— | —';
      });
      lines.push(
        `| ${engineRowName(e.tiles, e.layout)} | ${e.found} | ${f(e.detectMs)} | ${per.join(' | ')} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

const round = (x: unknown): unknown =>
  typeof x === 'number'
    ? Math.round(x * 1000) / 1000
    : Array.isArray(x)
      ? x.map(round)
      : x && typeof x === 'object'
        ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, round(v)]))
        : x;

/** The one JSON line: figures only (no per-face predictions), numbers to 3 decimals. */
export function jsonSummary(
  meta: Record<string, unknown>,
  runs: readonly BackendRun[],
  models: readonly ModelInfo[],
  labels: readonly number[],
): string {
  return JSON.stringify(
    round({
      ...meta,
      backends: runs.map((r) => ({
        backend: r.backend,
        threads: Object.fromEntries(
          (['off', 'on'] as const).flatMap((m): [string, unknown][] => {
            const run = r.modes[m];
            if (run) return [[m, { threads: run.threads, isolated: run.isolated }]];
            const error = r.errors[m];
            return error ? [[m, { error }]] : [];
          }),
        ),
        models: scoreModels(r, models, labels).map((s) => ({
          ...s,
          name: models.find((m) => m.key === s.key)?.name,
        })),
        engine: (['off', 'on'] as const).flatMap((m) =>
          (r.modes[m]?.engine ?? []).map((e) => ({
            threads: m,
            faces: e.tiles,
            layout: e.layout,
            found: e.found,
            detectMs: e.detectMs,
            framesPerSecond: 1000 / e.totalMs,
            facesPerSecond: (1000 / e.totalMs) * e.found,
          })),
        ),
      })),
    }),
  );
}
