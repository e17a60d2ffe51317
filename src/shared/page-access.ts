import type { Unscriptable } from './protocol';

/**
 * Pages no extension may script: browser pages, other extensions and the web stores. Chrome and
 * Firefox refuse these outright, so the popup says so before trying.
 */
const STORE_HOSTS: Record<string, string> = {
  'chromewebstore.google.com': 'the Chrome Web Store',
  'chrome.google.com': 'the Chrome Web Store',
  'microsoftedge.microsoft.com': 'the Edge Add-ons store',
  'addons.mozilla.org': 'addons.mozilla.org',
};

const SCRIPTABLE_SCHEMES = new Set(['http:', 'https:', 'file:']);

export function pageAccess(url: string | undefined): { scriptable: true } | Unscriptable {
  if (!url) return { scriptable: false, reason: 'MoodLens cannot see this tab’s address.' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { scriptable: false, reason: 'MoodLens cannot read this page.' };
  }
  if (!SCRIPTABLE_SCHEMES.has(parsed.protocol)) {
    return {
      scriptable: false,
      reason: `This is a browser page (${parsed.protocol}//). Browsers do not let extensions run on it.`,
    };
  }
  const store = STORE_HOSTS[parsed.hostname];
  if (store && (parsed.hostname !== 'chrome.google.com' || parsed.pathname.startsWith('/webstore'))) {
    return { scriptable: false, reason: `Browsers do not let extensions run on ${store}.` };
  }
  return { scriptable: true };
}

/** Turns a browser's refusal to inject the content script into words for the popup. */
export function explainInjectionError(message: string): string {
  if (
    /chrome:\/\/|edge:\/\/|about:|moz-extension|chrome-extension|cannot be scripted|gallery/i.test(message)
  ) {
    return 'This is a browser page or a web store page. Browsers do not let extensions run on it.';
  }
  if (/permission/i.test(message)) {
    return 'MoodLens has no access to this page yet: open MoodLens from its toolbar button while on the page.';
  }
  return `MoodLens cannot run on this page (${message}). Reload the page and try again.`;
}
