/** Waiting for the development build's auto-start on localhost (npm start, npm run soak). */
import type { BrowserContext } from 'playwright-core';

/**
 * On a fresh profile the service worker registers the auto-start content script (for localhost)
 * when the extension is installed; a page that loads before that gets no MoodLens. Waits for the
 * registration, asking the service worker.
 */
export async function autoStartRegistered(browserContext: BrowserContext, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const worker =
    browserContext.serviceWorkers()[0] ??
    (await browserContext.waitForEvent('serviceworker', { timeout: timeoutMs }));
  for (;;) {
    const registered = await worker
      .evaluate(async () => (await chrome.scripting.getRegisteredContentScripts()).length > 0)
      .catch(() => false); // the worker is starting again: ask once more
    if (registered) return;
    if (Date.now() > deadline)
      throw new Error(
        `MoodLens did not register its auto-start content script within ${timeoutMs / 1000} s: look for errors in its service worker (chrome://extensions, Inspect views).`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
