/**
 * `npm run analyze` end to end: pictures, a video and a folder in one browser session; JSON, CSV
 * and errors.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const PHOTOS = resolve(ROOT, 'tests/fixtures/photos');
const VIDEO = resolve(ROOT, 'tests/fixtures/solvay-einstein.webm');
const run = promisify(execFile);

async function analyze(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/analyze.ts', ...args], {
      cwd: ROOT,
      maxBuffer: 32 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

interface PictureLine {
  file: string;
  type: 'picture';
  faces: { box: { width: number }; dominant: string; probabilities: Record<string, number> }[];
}
interface VideoLine {
  file: string;
  type: 'video';
  duration: number;
  samples: number;
  tracks: { trackId: number; samples: { t: number; dominant: string }[] }[];
}

describe('npm run analyze', () => {
  it(
    'analyses pictures, a video and a folder in one run, one JSON object per file',
    { timeout: 240_000 },
    async () => {
      const folder = mkdtempSync(join(tmpdir(), 'moodlens-analyze-'));
      copyFileSync(join(PHOTOS, 'solvay-planck.jpg'), join(folder, 'a.jpg'));
      copyFileSync(join(PHOTOS, 'solvay-dirac.jpg'), join(folder, 'b.jpg'));
      const { code, stdout, stderr } = await analyze([
        join(PHOTOS, 'solvay-curie.jpg'),
        VIDEO,
        folder,
        '--json',
        '--fps',
        '2',
      ]);
      expect(stderr).not.toMatch(/analyze:/);
      expect(code).toBe(0);
      const lines = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as PictureLine | VideoLine);
      expect(lines.map((l) => l.file)).toEqual([
        join(PHOTOS, 'solvay-curie.jpg'),
        VIDEO,
        join(folder, 'a.jpg'),
        join(folder, 'b.jpg'),
      ]);
      for (const l of lines.filter((x): x is PictureLine => x.type === 'picture')) {
        expect(l.faces.length).toBeGreaterThanOrEqual(1);
        const p = Object.values(l.faces[0]?.probabilities ?? {});
        expect(p).toHaveLength(7);
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
      }
      const video = lines[1] as VideoLine;
      expect(video.type).toBe('video');
      expect(video.samples).toBe(Math.ceil(video.duration * 2));
      // one person on the tile: one track that covers most samples
      const longest = Math.max(...video.tracks.map((t) => t.samples.length));
      expect(longest).toBeGreaterThanOrEqual(video.samples - 1);
      expect(video.tracks[0]?.samples[1]?.t).toBeCloseTo(0.5, 3);
    },
  );

  it('writes CSV with a header and one row per face per sample', { timeout: 120_000 }, async () => {
    const { code, stdout } = await analyze([VIDEO, '--csv', '--fps', '1']);
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header).toBe(
      'file,time_s,track,x,y,width,height,angry,disgust,fear,happy,sad,surprise,neutral,dominant',
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const r of rows) expect(r.split(',')).toHaveLength(15);
  });

  it('exits non-zero naming a missing file', { timeout: 60_000 }, async () => {
    const { code, stderr } = await analyze(['no/such/clip.webm']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/no\/such\/clip\.webm: no such file/);
  });

  it(
    'exits non-zero naming an undecodable file, after analysing the others',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'moodlens-bad-'));
      const bad = join(dir, 'broken.jpg');
      writeFileSync(bad, 'not a picture');
      const { code, stdout, stderr } = await analyze([bad, join(PHOTOS, 'solvay-lorentz.jpg'), '--json']);
      expect(code).not.toBe(0);
      expect(stderr).toContain(`${bad}: the file is not a picture this browser can decode`);
      const good = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { file: string; faces?: unknown[] });
      expect(good.find((l) => l.file.endsWith('solvay-lorentz.jpg'))?.faces?.length).toBeGreaterThanOrEqual(
        1,
      );
    },
  );
});
