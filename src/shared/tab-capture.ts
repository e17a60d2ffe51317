/**
 * Tab-capture mode's permission (Chrome). `tabCapture` is optional: it is asked for when the user
 * first starts the mode from the popup, not at install.
 */

/** The permission request for tab-capture mode. */
export const TAB_CAPTURE = { permissions: ['tabCapture' as const] };

/** The parts of the manifest that say whether tab capture is granted or may be asked for. */
export interface PermissionsManifest {
  permissions?: string[];
  optional_permissions?: string[];
}

/** Whether the mode can be used: tabCapture is granted at install or may be asked for (not in Firefox). */
export function tabCaptureAvailable(manifest: PermissionsManifest): boolean {
  return [...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? [])].includes('tabCapture');
}

export interface TabCaptureApis {
  requestPermission(request: typeof TAB_CAPTURE): Promise<boolean>;
  /** chrome.tabCapture.getMediaStreamId for the tab: read only once the permission is held. */
  getMediaStreamId(tabId: number): Promise<string>;
}

export class TabCaptureRefused extends Error {}

/**
 * Holds tabCapture (asking the user the first time) and returns the tab's stream id. Must run in
 * the user's click: the request comes first, with nothing awaited before it. Chrome answers at once,
 * without a prompt, when the permission is already held.
 */
export async function tabStreamId(tabId: number, apis: TabCaptureApis): Promise<string> {
  if (!(await apis.requestPermission(TAB_CAPTURE)))
    throw new TabCaptureRefused(
      'MoodLens was not allowed to capture tabs, so it keeps reading the videos of the page.',
    );
  return apis.getMediaStreamId(tabId);
}
