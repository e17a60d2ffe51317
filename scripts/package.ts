/**
 * `npm run package` (after the build): the store packages, in artifacts/:
 * moodlens-chrome-<version>.zip (Chrome Web Store) and moodlens-firefox-<version>.zip (AMO).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
for (const target of ['chrome', 'firefox'] as const) {
  const dir = resolve(root, 'dist', target);
  if (!existsSync(resolve(dir, 'manifest.json'))) throw new Error(`${dir} is missing: run npm run build`);
  const { version } = JSON.parse(readFileSync(resolve(dir, 'manifest.json'), 'utf8')) as { version: string };
  const filename = `moodlens-${target}-${version}.zip`;
  execFileSync(
    'npx',
    [
      'web-ext',
      'build',
      '--source-dir',
      dir,
      '--artifacts-dir',
      resolve(root, 'artifacts'),
      '--filename',
      filename,
      '--overwrite-dest',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  console.log(`artifacts/${filename}`);
}
