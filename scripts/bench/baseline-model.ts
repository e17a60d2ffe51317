/**
 * The benchmark's baseline FER model (`--baseline-model`): a directory holding model.json and its
 * weights file, or `git:<rev>` for models/fer-resnet at that revision (both files written with
 * `git show` into a temporary directory). Gives the files to serve under one URL prefix.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

export interface BaselineModel {
  /** What the table calls it: the directory or git:<rev> (resolved to a short commit). */
  label: string;
  /** model.json, parsed. */
  manifest: unknown;
  /** URL path -> file on disk, for scripts/serve.ts. */
  files: Map<string, string>;
  /** Removes the temporary directory of a git baseline. */
  cleanup: () => void;
}

const MODEL_DIR = 'models/fer-resnet';

/** The weights file model.json names (a plain file name next to it). */
export function weightsFileOf(manifest: unknown): string {
  const file = (manifest as { weights?: { file?: unknown } } | null)?.weights?.file;
  if (typeof file !== 'string' || file === '' || basename(file) !== file || file.startsWith('.')) {
    throw new Error(`the baseline model.json names no plain weights file (weights.file: ${String(file)})`);
  }
  return file;
}

export function loadBaselineModel(spec: string, repoRoot: string, urlPrefix: string): BaselineModel {
  if (spec.startsWith('git:')) {
    const rev = spec.slice(4);
    const git = (args: string[]) =>
      execFileSync('git', args, { cwd: repoRoot, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
    let commit: string;
    try {
      commit = git(['rev-parse', '--short', '--verify', `${rev}^{commit}`])
        .toString()
        .trim();
    } catch {
      throw new Error(`--baseline-model ${spec}: no such revision in ${repoRoot}`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'moodlens-baseline-'));
    try {
      const json = git(['show', `${commit}:${MODEL_DIR}/model.json`]);
      const manifest: unknown = JSON.parse(json.toString('utf8'));
      const weights = weightsFileOf(manifest);
      writeFileSync(join(dir, 'model.json'), json);
      writeFileSync(join(dir, weights), git(['show', `${commit}:${MODEL_DIR}/${weights}`]));
      return {
        label: `git:${commit}`,
        manifest,
        files: new Map([
          [`${urlPrefix}model.json`, join(dir, 'model.json')],
          [`${urlPrefix}${weights}`, join(dir, weights)],
        ]),
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
      };
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
  const dir = resolve(spec);
  const manifest: unknown = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const weights = weightsFileOf(manifest);
  return {
    label: spec,
    manifest,
    files: new Map([
      [`${urlPrefix}model.json`, join(dir, 'model.json')],
      [`${urlPrefix}${weights}`, join(dir, weights)],
    ]),
    cleanup: () => undefined,
  };
}
