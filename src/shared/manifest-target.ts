/**
 * One manifest source (manifest.json), two targets. Every per-browser difference of the manifest
 * is made here, at build time, so the rest of the project never asks which browser it is built for.
 */
export type BrowserTarget = 'chrome' | 'firefox';

export interface ManifestSource {
  background?: { service_worker?: string; scripts?: string[]; type?: string };
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  browser_specific_settings?: unknown;
  minimum_chrome_version?: string;
  [key: string]: unknown;
}

/** Origins the development flavour may script without a user gesture: the demo server. */
export const DEV_HOST_PERMISSIONS = ['http://localhost/*', 'http://127.0.0.1/*'];

/** Permissions that exist only in Chrome. */
const CHROME_ONLY_PERMISSIONS = new Set(['offscreen', 'tabCapture', 'sidePanel']);

export interface TargetOptions {
  target: BrowserTarget;
  /**
   * Development flavour (npm start, browser tests): grants the localhost demo origin and the
   * optional permissions up front, since a browser driven by a test cannot answer a permission prompt.
   */
  dev: boolean;
}

export function manifestFor(source: ManifestSource, { target, dev }: TargetOptions): ManifestSource {
  const out: ManifestSource = structuredClone(source);
  const worker = source.background?.service_worker;
  if (!worker) throw new Error('manifest.json: background.service_worker must name the background entry');
  if (target === 'chrome') {
    delete out.browser_specific_settings;
  } else {
    // Firefox MV3 has no service worker background: an event page built from the same entry.
    out.background = { scripts: [worker], type: 'module' };
    out.permissions = (source.permissions ?? []).filter((p) => !CHROME_ONLY_PERMISSIONS.has(p));
    const optional = (source.optional_permissions ?? []).filter((p) => !CHROME_ONLY_PERMISSIONS.has(p));
    if (optional.length > 0) out.optional_permissions = optional;
    else delete out.optional_permissions;
    delete out.minimum_chrome_version;
    // frames reach Firefox's background page as messages: no relay frame, nothing web-accessible
    delete out.web_accessible_resources;
    // Chrome's side panel is Firefox's sidebar: the same page
    const panel = (source.side_panel as { default_path?: string } | undefined)?.default_path;
    delete out.side_panel;
    if (panel) {
      const icons = (source.action as { default_icon?: unknown } | undefined)?.default_icon;
      out.sidebar_action = { default_panel: panel, default_title: source.name, default_icon: icons };
    }
  }
  if (dev) {
    out.name = `${String(source.name)} (dev)`;
    out.host_permissions = [...new Set([...(source.host_permissions ?? []), ...DEV_HOST_PERMISSIONS])];
    if (out.optional_permissions) {
      out.permissions = [...new Set([...(out.permissions ?? []), ...out.optional_permissions])];
      delete out.optional_permissions;
    }
  }
  return out;
}
