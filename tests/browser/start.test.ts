/**
 * `npm start` on a first run: the start script (after the build) on a fresh profile, headless, with
 * --screenshot and --exit, several times in a row. Each run must get MoodLens onto the demo page
 * (the page must not load before the extension has registered its auto-start content script) and
 * labelled faces on it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const RUNS = 3;
const out = mkdtempSync(join(tmpdir(), 'moodlens-start-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Runs the start script to its end; its exit code and everything it printed. */
function start(screenshot: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(
      'npx',
      ['tsx', 'scripts/start.ts', '--headless', '--screenshot', screenshot, '--exit', '--port', '0'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

describe('npm start on a fresh profile', () => {
  it.each(Array.from({ length: RUNS }, (_, i) => i + 1))(
    'run %i: the demo page gets MoodLens and labelled faces, the screenshot is saved',
    { timeout: 240_000 },
    async (run) => {
      if (!existsSync(join(ROOT, 'dist/dev/chrome/manifest.json')))
        throw new Error('dist/dev/chrome is missing: run npm run build');
      const screenshot = join(out, `run-${run}.png`);
      const { code, output } = await start(screenshot);
      expect(output).not.toMatch(/Timeout \d+ms exceeded/);
      expect(code, output).toBe(0);
      const [, layers, faces] = /overlay layers: (\d+); labelled faces: (\d+)/.exec(output) ?? [];
      expect(Number(layers), output).toBeGreaterThan(0);
      expect(Number(faces), output).toBeGreaterThan(0);
      expect(statSync(screenshot).size).toBeGreaterThan(0);
    },
  );
});
