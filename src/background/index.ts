/**
 * Background entry (Chrome service worker, Firefox event page): wires listeners to modules.
 * Listeners are registered synchronously at start so that events which wake the worker reach
 * them; all state lives in storage, never in module variables.
 */
import { createDispatcher, type HandlerMap } from '../shared/messaging';
import { patternMatches } from '../shared/match-pattern';
import { browser, listen, self } from '../shared/platform';
import { registerAutoStart } from './content-injection';
import {
  analyzeFrame,
  classifyFaces,
  configureEngine,
  engineStatus,
  forgetSources,
  pingEngine,
} from './engine-host';
import { autoStartPatterns, backendOverride, setBackendOverride } from './settings';
import { clearTabState, getTabState, patchTabState } from './tab-state';
import { setEnabled, showBadge, tabStatus } from './tabs';

const handlers: HandlerMap<'bg'> = {
  'popup>bg:getTabStatus': ({ tabId }) => tabStatus(tabId),
  'popup>bg:setEnabled': ({ tabId, enabled }) => setEnabled(tabId, enabled),
  'popup>bg:pingEngine': () => pingEngine(),
  'popup>bg:engineStatus': ({ start }) => engineStatus(start),
  'popup>bg:setBackend': async ({ backend }) => {
    await setBackendOverride(backend);
    return configureEngine(await backendOverride());
  },
  'content>bg:hello': async (report, sender) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new Error('hello without a tab');
    const previous = await getTabState(tabId);
    // Same page as before (the content script was re-injected, e.g. after an extension update):
    // keep the user's choice; a new page starts on only where the user asked for auto-start.
    const sameDocument = previous.url === report.url;
    const autoStart = (await autoStartPatterns()).some((p) => patternMatches(p, report.url));
    const enabled = (sameDocument && previous.enabled) || autoStart;
    await patchTabState(tabId, { ...report, enabled });
    await showBadge(tabId, enabled);
    return { enabled };
  },
  'content>bg:frame': (frame, sender) => {
    // frames are namespaced by tab, so two tabs never share a track
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new Error('frame without a tab');
    return analyzeFrame({ ...frame, sourceId: `${tabId}:${frame.sourceId}` }).then((r) =>
      r.kind === 'unavailable' ? r : { ...r, sourceId: frame.sourceId },
    );
  },
  'popup>bg:classifyFaces': ({ faces }) => classifyFaces(faces),
  'content>bg:sourcesGone': async ({ sourceIds }, sender) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new Error('report without a tab');
    await forgetSources(sourceIds.map((id) => `${tabId}:${id}`));
    return { ok: true };
  },
  'content>bg:videosChanged': async (report, sender) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new Error('report without a tab');
    await patchTabState(tabId, report);
    await showBadge(tabId, report.enabled);
    return { ok: true };
  },
};

listen(
  createDispatcher('bg', handlers, self, (name, error) => console.error(`[MoodLens] ${name} failed:`, error)),
);

browser.tabs.onRemoved.addListener((tabId) => void clearTabState(tabId));
browser.tabs.onUpdated.addListener((tabId, change) => {
  // The tab navigates: a new document's content script (if any) says hello, and a single-page
  // app's surviving content script reports its new URL; until then the tab counts as off.
  if (change.url !== undefined) {
    void getTabState(tabId).then((state) =>
      state.url === change.url
        ? undefined
        : patchTabState(tabId, { enabled: false }).then(() => showBadge(tabId, false)),
    );
  }
});

const syncAutoStart = () =>
  autoStartPatterns()
    .then(registerAutoStart)
    .catch((error: unknown) => console.error('[MoodLens] auto-start registration failed:', error));
browser.runtime.onInstalled.addListener(() => void syncAutoStart());
browser.runtime.onStartup.addListener(() => void syncAutoStart());
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && 'autoStart' in changes) void syncAutoStart();
});
