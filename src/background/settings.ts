import { browser } from '../shared/platform';

/** Match patterns of the sites where analysis starts automatically (host permission granted). */
export async function autoStartPatterns(): Promise<string[]> {
  const { autoStart } = (await browser.storage.local.get('autoStart')) as { autoStart?: string[] };
  // The development flavour starts on the localhost demo page without being asked.
  return autoStart ?? (__MOODLENS_DEV__ ? ['http://localhost/*', 'http://127.0.0.1/*'] : []);
}
