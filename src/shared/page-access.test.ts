import { describe, expect, it } from 'vitest';
import { explainInjectionError, pageAccess } from './page-access';

describe('pageAccess', () => {
  it('allows ordinary web pages and local files', () => {
    expect(pageAccess('https://meet.google.com/abc-defg-hij')).toEqual({ scriptable: true });
    expect(pageAccess('http://localhost:5180/')).toEqual({ scriptable: true });
    expect(pageAccess('file:///home/me/clip.html')).toEqual({ scriptable: true });
  });

  it('refuses browser pages with the scheme named', () => {
    const r = pageAccess('chrome://extensions/');
    expect(r.scriptable).toBe(false);
    expect(!r.scriptable && r.reason).toMatch(/chrome:\/\//);
    expect(pageAccess('about:addons').scriptable).toBe(false);
    expect(pageAccess('moz-extension://x/popup.html').scriptable).toBe(false);
  });

  it('refuses the web stores but not the rest of their domains', () => {
    expect(pageAccess('https://chromewebstore.google.com/detail/x').scriptable).toBe(false);
    expect(pageAccess('https://chrome.google.com/webstore/detail/x').scriptable).toBe(false);
    expect(pageAccess('https://addons.mozilla.org/en-US/firefox/').scriptable).toBe(false);
    expect(pageAccess('https://chrome.google.com/intl/en/chrome/').scriptable).toBe(true);
  });

  it('explains unknown addresses', () => {
    expect(pageAccess(undefined).scriptable).toBe(false);
    expect(pageAccess('not a url').scriptable).toBe(false);
  });
});

describe('explainInjectionError', () => {
  it('maps the browsers’ refusals to words', () => {
    expect(explainInjectionError('Cannot access a chrome:// URL')).toMatch(/browser page/);
    expect(explainInjectionError('The extensions gallery cannot be scripted.')).toMatch(/web store/);
    expect(explainInjectionError('Missing host permission for the tab')).toMatch(/toolbar button/);
    expect(explainInjectionError('Frame with ID 0 was removed.')).toMatch(/Frame with ID 0 was removed/);
  });
});
