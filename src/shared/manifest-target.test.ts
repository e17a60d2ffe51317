import { describe, expect, it } from 'vitest';
import source from '../../manifest.json';
import { DEV_HOST_PERMISSIONS, manifestFor } from './manifest-target';

describe('manifestFor', () => {
  it('Chrome: a module service worker, offscreen, tabCapture only optional, no gecko settings', () => {
    const m = manifestFor(source, { target: 'chrome', dev: false });
    expect(m.background).toEqual({ service_worker: 'src/background/index.ts', type: 'module' });
    expect(m.permissions).toEqual(expect.arrayContaining(['activeTab', 'scripting', 'storage', 'offscreen']));
    // tab-capture mode is asked for when the user first starts it, not at install
    expect(m.permissions).not.toContain('tabCapture');
    expect(m.optional_permissions).toEqual(['tabCapture']);
    expect(m.browser_specific_settings).toBeUndefined();
    expect(m.host_permissions).toBeUndefined();
    // the relay frame is the only page a web page may frame, and only at the per-session dynamic
    // URL (runtime.getURL), so no site can tell that MoodLens is installed from the static one
    expect(m.web_accessible_resources).toEqual([
      { resources: ['src/relay/index.html'], matches: ['<all_urls>'], use_dynamic_url: true },
    ]);
  });

  it('Firefox: an event page from the same entry, gecko settings, no Chrome-only permissions', () => {
    const m = manifestFor(source, { target: 'firefox', dev: false });
    expect(m.background).toEqual({ scripts: ['src/background/index.ts'], type: 'module' });
    expect(m.permissions).not.toContain('offscreen');
    expect(m.permissions).not.toContain('tabCapture');
    expect(m.optional_permissions).toBeUndefined();
    expect(m.browser_specific_settings).toMatchObject({
      gecko: { id: expect.stringContaining('@') as string },
    });
    expect(m.minimum_chrome_version).toBeUndefined();
    expect(m.web_accessible_resources).toBeUndefined();
  });

  it("the live panel: Chrome's side_panel, Firefox's sidebar_action on the same page", () => {
    const chrome = manifestFor(source, { target: 'chrome', dev: false });
    expect(chrome.side_panel).toEqual({ default_path: 'src/sidepanel/index.html' });
    expect(chrome.permissions).toContain('sidePanel');
    expect(chrome.sidebar_action).toBeUndefined();
    const firefox = manifestFor(source, { target: 'firefox', dev: true });
    expect(firefox.side_panel).toBeUndefined();
    expect(firefox.permissions).not.toContain('sidePanel');
    expect(firefox.sidebar_action).toMatchObject({ default_panel: 'src/sidepanel/index.html' });
  });

  it('keeps the extension-page CSP strict in both', () => {
    for (const target of ['chrome', 'firefox'] as const) {
      const csp = (
        manifestFor(source, { target, dev: false }).content_security_policy as { extension_pages: string }
      ).extension_pages;
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).not.toMatch(/https?:/);
    }
  });

  it('store builds ask for host access only optionally; the dev flavour adds the localhost demo', () => {
    expect(manifestFor(source, { target: 'chrome', dev: false }).host_permissions).toBeUndefined();
    const dev = manifestFor(source, { target: 'chrome', dev: true });
    expect(dev.host_permissions).toEqual(DEV_HOST_PERMISSIONS);
    expect(dev.name).toMatch(/\(dev\)$/);
  });

  it('the dev flavour holds the optional permissions from the start (a test cannot answer a prompt)', () => {
    const chrome = manifestFor(source, { target: 'chrome', dev: true });
    expect(chrome.permissions).toContain('tabCapture');
    expect(chrome.optional_permissions).toBeUndefined();
    const firefox = manifestFor(source, { target: 'firefox', dev: true });
    expect(firefox.permissions).not.toContain('tabCapture');
    expect(firefox.optional_permissions).toBeUndefined();
  });

  it('does not modify its input', () => {
    const before = JSON.stringify(source);
    manifestFor(source, { target: 'firefox', dev: true });
    expect(JSON.stringify(source)).toBe(before);
  });
});
