/**
 * The side panel (Chrome's side_panel, Firefox's sidebar_action): the live feed it reads, and
 * Chrome's "toolbar button opens the panel" setting (sidePanel.setPanelBehavior). Listeners are
 * registered when the background module loads, as every listener of the background is.
 */
import { browser, self } from '../shared/platform';
import type { FrameResult } from '../shared/protocol';
import { parseSettings } from '../shared/settings';
import { LiveFeed } from './live-feed';

const feed = new LiveFeed(self);

browser.runtime.onConnect.addListener((port) => feed.connect(port));

/** Chrome only (Firefox's sidebar has its own toolbar toggle): applies the stored setting. */
async function applyPanelBehavior(): Promise<void> {
  const sidePanel = (globalThis as { chrome?: { sidePanel?: typeof chrome.sidePanel } }).chrome?.sidePanel;
  if (!sidePanel?.setPanelBehavior) return;
  const { openPanelOnAction } = parseSettings(await browser.storage.local.get('openPanelOnAction'));
  await sidePanel.setPanelBehavior({ openPanelOnActionClick: openPanelOnAction });
}

const logFailure = (error: unknown) => console.error('[MoodLens] side panel behaviour failed:', error);
void applyPanelBehavior().catch(logFailure);
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && 'openPanelOnAction' in changes) void applyPanelBehavior().catch(logFailure);
});

/** Pushes a recorded frame's samples to the panels that watch the tab. */
export function publishLive(tabId: number, result: FrameResult): void {
  feed.publish(tabId, result);
}
