/**
 * `npm start`: (after the build) serves the demo meeting on localhost and opens Chrome or Chromium
 * with the development build of MoodLens loaded, on the demo page, where analysis starts by itself.
 *
 * Options: --headless, --screenshot FILE (saved once every tile has its overlay), --exit (close after
 * the screenshot), --port N.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { autoStartRegistered } from './auto-start.ts';
import { findChrome, isBrandedChrome } from './find-chrome.ts';
import { startServer } from './serve.ts';

const { values } = parseArgs({
  options: {
    headless: { type: 'boolean', default: false },
    screenshot: { type: 'string' },
    exit: { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.PORT ?? '5180' },
  },
});

const extension = resolve(import.meta.dirname, '../dist/dev/chrome');
let executablePath: string;
try {
  executablePath = findChrome();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const server = await startServer(Number(values.port)).catch(() => startServer(0));
const profile = mkdtempSync(join(tmpdir(), 'moodlens-profile-'));
const args = [
  `--disable-extensions-except=${extension}`,
  `--load-extension=${extension}`,
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
if (isBrandedChrome(executablePath)) args.push('--disable-features=DisableLoadExtensionCommandLineSwitch');
if (process.getuid?.() === 0) args.push('--no-sandbox');

console.log(`Launching ${executablePath}`);
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: values.headless,
  args,
  ignoreDefaultArgs: ['--disable-extensions', '--enable-automation'],
  viewport: null,
});
const cleanup = async () => {
  await server.close();
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  } catch {
    // Chromium may still be writing its profile; it is in the temp folder.
  }
};
context.on('close', () => void cleanup().then(() => process.exit(0)));

await autoStartRegistered(context);

const page = context.pages()[0] ?? (await context.newPage());
await page.goto(server.url);
console.log(`MoodLens demo meeting: ${server.url} (analysis starts automatically on this page)`);

if (values.screenshot) {
  await page.waitForFunction(() => {
    const host = document.querySelector('[data-moodlens-overlay]');
    const tiles = document.querySelectorAll('video').length;
    return tiles > 0 && host?.shadowRoot?.querySelectorAll('.layer').length === tiles;
  });
  // and, once the engine has started, a labelled face on every tile (or give up after two minutes:
  // the first start of the engine on a fresh profile is slow on a busy machine)
  await page
    .waitForFunction(
      () => {
        const root = document.querySelector('[data-moodlens-overlay]')?.shadowRoot;
        const layers = [...(root?.querySelectorAll('.layer') ?? [])];
        return layers.length > 0 && layers.every((l) => l.querySelector('.face'));
      },
      undefined,
      { timeout: 120_000 },
    )
    .catch(() => console.log('not every tile has a labelled face yet'));
  await page.screenshot({ path: values.screenshot });
  const layers = await page.evaluate(
    () =>
      document.querySelector('[data-moodlens-overlay]')?.shadowRoot?.querySelectorAll('.layer').length ?? 0,
  );
  const faces = await page.evaluate(
    () =>
      document.querySelector('[data-moodlens-overlay]')?.shadowRoot?.querySelectorAll('.face').length ?? 0,
  );
  console.log(
    `overlay layers: ${layers}; labelled faces: ${faces}; screenshot saved to ${values.screenshot}`,
  );
}
if (values.exit) await context.close();
else console.log('Close the browser window to stop.');
