import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBaselineModel, weightsFileOf } from '../../scripts/bench/baseline-model';
import {
  backendTables,
  engineRowName,
  jsonSummary,
  scoreModels,
  type BackendRun,
  type ModelInfo,
} from '../../scripts/bench/engine-report';

const MODELS: ModelInfo[] = [
  { key: 'new', name: 'ours, new', input: '48x48' },
  { key: 'peer', name: 'peer', input: '64x64' },
];
// 7 faces, one of each FER2013 class
const LABELS = [0, 1, 2, 3, 4, 5, 6];
const ENGINE = [
  { tiles: 1, layout: 'grid' as const, found: 1, detectMs: 10, totalMs: 50 },
  { tiles: 4, layout: 'sources' as const, found: 4, detectMs: 40, totalMs: 200 },
];

function wasmRun(withThreads: boolean): BackendRun {
  const off = {
    threads: 1,
    isolated: false,
    models: { new: { pred: LABELS, msPerFace: 20 }, peer: { pred: [0, 0, 0, 3, 4, 5, 6], msPerFace: 5 } },
    engine: ENGINE,
  };
  return withThreads
    ? {
        backend: 'wasm',
        modes: {
          off,
          on: {
            ...off,
            threads: 2,
            isolated: true,
            models: { ...off.models, new: { pred: [0, 1, 2, 3, 4, 5, 5], msPerFace: 12 } },
          },
        },
        errors: {},
      }
    : { backend: 'wasm', modes: { off }, errors: { on: 'set-up: no answer within 120 s' } };
}

describe('the engine benchmark report', () => {
  it('scores every model on the faces, from threads off, and counts what threads on changed', () => {
    const [ours, peer] = scoreModels(wasmRun(true), MODELS, LABELS);
    expect(ours).toMatchObject({
      accuracy: 1,
      macroF1: 1,
      msPerFace: { off: 20, on: 12 },
      threadsChanged: 1,
    });
    expect(peer?.accuracy).toBeCloseTo(5 / 7);
    expect(peer?.threadsChanged).toBe(0);
  });

  it('prints both thread columns on wasm, and why threads on was not measured', () => {
    const table = backendTables(wasmRun(false), MODELS, LABELS);
    expect(table).toContain('threads on: not measured (set-up: no answer within 120 s)');
    expect(table).toContain('| ours, new | 48x48 | 20.00 | — | 100.0 % | 1.000 |');
    expect(table).toContain(
      '| 4 sources of 640x480, one face each, a frame at a time | 4 | 40.0 | 5.0 | 20.0 | — | — |',
    );
  });

  it('has one ms/face column on other back ends', () => {
    const run = wasmRun(false);
    const table = backendTables({ ...run, backend: 'webgl', errors: {} }, MODELS, LABELS);
    expect(table).toContain('| model | input | ms/face | accuracy | macro F1 |');
    expect(table).toContain('| 1 face, 640x480 | 1 | 10.0 | 20.0 | 20.0 |');
  });

  it('names the engine rows by layout', () => {
    expect(engineRowName(1, 'grid')).toBe('1 face, 640x480');
    expect(engineRowName(9, 'grid')).toBe('9 faces in one 960x720 frame');
    expect(engineRowName(4, 'grid')).toBe('4 faces in one 640x480 frame');
    expect(engineRowName(9, 'sources')).toBe('9 sources of 640x480, one face each, a frame at a time');
    expect(engineRowName(9, 'batched')).toBe('9 sources of 640x480, one face each, in one batch');
  });

  it('ends with one JSON line of figures, without per-face predictions', () => {
    const line = jsonSummary({ faces: 7 }, [wasmRun(false)], MODELS, LABELS);
    expect(line).not.toContain('\n');
    const json = JSON.parse(line) as { backends: { threads: object; engine: object[]; models: object[] }[] };
    expect(json.backends[0]?.threads).toEqual({
      off: { threads: 1, isolated: false },
      on: { error: 'set-up: no answer within 120 s' },
    });
    expect(json.backends[0]?.engine[1]).toMatchObject({ faces: 4, layout: 'sources', facesPerSecond: 20 });
    expect(line).not.toContain('pred');
  });
});

describe('the baseline model', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('serves model.json and the weights file it names, from a directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-baseline-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ weights: { file: 'w.bin' } }));
    const b = loadBaselineModel(dir, '.', '/baseline-model/');
    expect([...b.files]).toEqual([
      ['/baseline-model/model.json', join(dir, 'model.json')],
      ['/baseline-model/w.bin', join(dir, 'w.bin')],
    ]);
  });

  it('refuses a weights file that is not a plain name next to model.json', () => {
    for (const file of ['../x.bin', 'a/b.bin', '', '.hidden', 3]) {
      expect(() => weightsFileOf({ weights: { file } })).toThrow(/plain weights file/);
    }
    expect(() => weightsFileOf(null)).toThrow(/plain weights file/);
  });

  it('says so for a git revision that does not exist', () => {
    expect(() => loadBaselineModel('git:no-such-revision-here', '.', '/b/')).toThrow(/no such revision/);
  });
});
