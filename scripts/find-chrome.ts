/** Finds an installed Chrome or Chromium: CHROME_PATH first, then the usual install paths. */
import { existsSync } from 'node:fs';

/** Flags for a quiet test or benchmark browser: no sandbox (containers), no background traffic. */
export const QUIET_CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const CANDIDATES: Record<string, string[]> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
  ],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ],
  win32: [
    `${process.env.LOCALAPPDATA ?? ''}\\Chromium\\Application\\chrome.exe`,
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  ],
};

export function findChrome(): string {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(`CHROME_PATH is set to ${fromEnv}, but there is no file there.`);
    return fromEnv;
  }
  const found = (CANDIDATES[process.platform] ?? []).find((p) => existsSync(p));
  if (found) return found;
  throw new Error(
    'No Chrome or Chromium found. Install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`; ' +
      'macOS: `brew install --cask chromium`) or Google Chrome, or set CHROME_PATH to its executable.',
  );
}

/** Google Chrome (branded) 137+ ignores --load-extension unless this feature is switched off. */
export function isBrandedChrome(path: string): boolean {
  return /google[- ]?chrome/i.test(path);
}
