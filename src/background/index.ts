/**
 * Background entry (Chrome service worker, Firefox event page): wires listeners to modules.
 * Listeners are registered synchronously at start so that events which wake the worker reach
 * them; all state lives in storage, never in module variables.
 */
import { createDispatcher, send, type HandlerMap, type SenderInfo } from '../shared/messaging';
import { patternMatches } from '../shared/match-pattern';
import type { FrameResult } from '../shared/protocol';
import { browser, listen, self, TOP_FRAME, toTab } from '../shared/platform';
import { pageReply, tabSourceId } from '../shared/tab-source';
import { addedSites } from './auto-start-access';
import { ensureFrames, registerAutoStart, startInOpenTabs } from './content-injection';
import { ENGINE_IDLE_ALARM, onEngineIdleAlarm } from './offscreen-document';
import {
  analyzeFrame,
  classifyFaces,
  configureEngine,
  engineStatus,
  forgetSources,
  pingEngine,
  openOffscreenEngine,
  captureRegions,
} from './engine-connection';
import {
  endAbandonedSessions,
  housekeeping,
  HOUSEKEEPING_ALARM,
  recorder,
  scheduleHousekeeping,
  sessionStore,
} from './sessions';
import {
  autoStartPatterns,
  dropRevokedAutoStart,
  noticeAcknowledged,
  revokeDroppedAutoStart,
  setBackendOverride,
} from './settings';
import { publishLive } from './side-panel';
import { TabLifecycle } from './tab-lifecycle';
import {
  clearTabState,
  getTabState,
  patchTabState,
  relayTokenOf,
  setRelayToken,
  updateTabState,
} from './tab-state';
import {
  endCapture,
  setEnabled,
  setEnabledInFrames,
  showBadge,
  startCapture,
  stopCapture,
  tabStatus,
} from './tabs';

/**
 * Stores a frame's result in the tab's session while analysis is on (the page sees it after);
 * the recorder checks again, in the tab's turn, that analysis is still on.
 */
async function recordResult(tabId: number, result: FrameResult, label: string | undefined): Promise<void> {
  const state = await getTabState(tabId);
  if (!state.enabled) return;
  try {
    await recorder.record(tabId, { title: state.title ?? '', url: state.url ?? '' }, result, label);
  } catch (error) {
    console.error('[MoodLens] the session could not be saved:', error);
  }
  publishLive(tabId, result);
}

/** The content script of the tab's top frame speaks for the page; those of other frames add videos. */
const frameOf = (sender: SenderInfo): number => sender.frameId ?? TOP_FRAME;
const isTopFrame = (sender: SenderInfo): boolean => frameOf(sender) === TOP_FRAME;

/** Navigations, content scripts' hellos and reports, closing: one at a time per tab. */
const lifecycle = new TabLifecycle({
  getState: getTabState,
  patchState: patchTabState,
  updateState: updateTabState,
  clearState: clearTabState,
  endSession: (tabId) => recorder.end(tabId),
  showBadge,
  stopCapture: (tabId) => endCapture(tabId),
  stopContent: (tabId) =>
    send(toTab(tabId), 'bg>content:setEnabled', { enabled: false }).then(
      () => undefined,
      () => undefined, // no content script there (any more)
    ),
  // not awaited: the frames answer after the top frame, which is waiting for this turn to end
  setFramesEnabled: (tabId, enabled) => {
    void setEnabledInFrames(tabId, enabled);
    return Promise.resolve();
  },
  autoStarts: async (url) =>
    (await noticeAcknowledged()) && (await autoStartPatterns()).some((p) => patternMatches(p, url)),
});

const handlers: HandlerMap<'bg'> = {
  'popup>bg:getTabStatus': ({ tabId }) => tabStatus(lifecycle, tabId),
  'popup>bg:setEnabled': async ({ tabId, enabled }) => {
    if (enabled && !(await noticeAcknowledged()))
      throw new Error('Read the notice in the MoodLens popup and acknowledge it before the first analysis.');
    return setEnabled(lifecycle, tabId, enabled);
  },
  'popup>bg:live': async ({ tabId }) => ({
    ...(await recorder.liveStats(tabId)),
    lastSessionId: (await getTabState(tabId)).lastSessionId,
  }),
  'popup>bg:renameParticipant': async ({ sessionId, participantId, name }) => {
    await (await sessionStore()).renameParticipant(sessionId, participantId, name);
    return { ok: true };
  },
  'popup>bg:deleteSessions': async ({ sessionIds }) => {
    const store = await sessionStore();
    if (sessionIds === 'all') {
      const count = (await store.list()).length;
      await store.deleteAll();
      return { deleted: count };
    }
    for (const id of sessionIds) await store.delete(id);
    return { deleted: sessionIds.length };
  },
  'popup>bg:pingEngine': () => pingEngine(),
  'popup>bg:engineStatus': ({ start }) => engineStatus(start),
  'popup>bg:setBackend': async ({ backend }) => {
    await setBackendOverride(backend);
    return configureEngine();
  },
  'content>bg:hello': async (report, sender) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new Error('hello without a tab');
    if (!isTopFrame(sender)) {
      // a frame below the top one (an embedded call) shares the tab's relay secret and session
      const relayToken = (await relayTokenOf(tabId)) ?? crypto.randomUUID();
      await setRelayToken(tabId, relayToken);
      return { enabled: await lifecycle.frameHello(tabId, frameOf(sender), report), relayToken };
    }
    // a new page: a new secret for its relay frames
    const relayToken = crypto.randomUUID();
    await setRelayToken(tabId, relayToken);
    return { enabled: await lifecycle.hello(tabId, report), relayToken };
  },
  'content>bg:frame': async (frame, sender) => {
    // frames are namespaced by tab, so two tabs never share a track
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new Error('frame without a tab');
    const named = pageReply(
      await analyzeFrame({ ...frame, sourceId: tabSourceId(tabId, frame.sourceId) }),
      frame.sourceId,
    );
    if (named.kind === 'result') await recordResult(tabId, named, frame.label);
    return named;
  },
  'content>bg:regions': async ({ regions, viewport }, sender) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new Error('regions without a tab');
    await captureRegions(tabId, regions, viewport);
    return { ok: true };
  },
  'popup>bg:startCapture': ({ tabId, streamId }) => startCapture(lifecycle, tabId, streamId),
  'popup>bg:stopCapture': ({ tabId }) => stopCapture(lifecycle, tabId),
  'offscreen>bg:captureResult': async ({ tabId, result, label }) => {
    await recordResult(tabId, result, label);
    await send(toTab(tabId, TOP_FRAME), 'bg>content:captureResult', result);
    return { ok: true };
  },
  'offscreen>bg:captureEnded': async ({ tabId }) => {
    await stopCapture(lifecycle, tabId, true);
    return { ok: true };
  },
  'relay>bg:hello': async ({ token }, sender) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new Error('relay without a tab');
    const expected = await relayTokenOf(tabId);
    if (!expected || expected !== token) throw new Error('this relay was not made by the tab');
    await openOffscreenEngine();
    return { tabId };
  },
  'relay>bg:frameResult': async ({ result, label }, sender) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new Error('result without a tab');
    await recordResult(tabId, result, label);
    return { ok: true };
  },
  'popup>bg:classifyFaces': ({ faces }) => classifyFaces(faces),
  'content>bg:sourcesGone': async ({ sourceIds }, sender) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new Error('report without a tab');
    await forgetSources(sourceIds.map((id) => tabSourceId(tabId, id)));
    return { ok: true };
  },
  'content>bg:frameLoaded': async (_request, sender) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new Error('report without a tab');
    if ((await getTabState(tabId)).enabled) await ensureFrames(tabId);
    return { ok: true };
  },
  'content>bg:videosChanged': async (report, sender) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) throw new Error('report without a tab');
    if (isTopFrame(sender)) await lifecycle.reported(tabId, report);
    else await lifecycle.frameReported(tabId, frameOf(sender), report);
    return { ok: true };
  },
};

listen(
  createDispatcher('bg', handlers, self, (name, error) => console.error(`[MoodLens] ${name} failed:`, error)),
);

const logFailure = (what: string) => (error: unknown) => console.error(`[MoodLens] ${what} failed:`, error);

browser.tabs.onRemoved.addListener((tabId) => {
  void lifecycle.closed(tabId).catch(logFailure('ending the session of a closed tab'));
});
browser.tabs.onUpdated.addListener((tabId, change) => {
  // within the origin the session goes on, to another origin it ends (route-change.ts)
  if (change.url !== undefined)
    void lifecycle.navigated(tabId, change.url).catch(logFailure('following a tab that navigated'));
});

/** Registers the auto-start sites; with `openTabs`, also starts in those already open (registration reaches only later loads). */
const syncAutoStart = (openTabs: (patterns: string[]) => string[] = () => []) =>
  autoStartPatterns()
    .then(async (patterns) => {
      await registerAutoStart(patterns);
      await startInOpenTabs(openTabs(patterns));
    })
    .catch((error: unknown) => console.error('[MoodLens] auto-start registration failed:', error));
const everySite = (patterns: string[]) => patterns;
const scheduleHousekeepingAlarm = () =>
  void scheduleHousekeeping().catch(logFailure('scheduling the session housekeeping'));
browser.runtime.onInstalled.addListener(() => {
  // installed or updated: open tabs of the sites run no script of this version yet
  void syncAutoStart(everySite);
  void housekeeping().catch(logFailure('session housekeeping'));
  scheduleHousekeepingAlarm();
});
browser.runtime.onStartup.addListener(() => {
  void syncAutoStart();
  // storage.session is empty after a browser start: no session carries over
  void endAbandonedSessions()
    .then(() => housekeeping())
    .catch(logFailure('session housekeeping'));
  scheduleHousekeepingAlarm();
});
// retention and downsampling also while the browser stays open for days
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === HOUSEKEEPING_ALARM) void housekeeping().catch(logFailure('session housekeeping'));
  if (alarm.name === ENGINE_IDLE_ALARM) void onEngineIdleAlarm().catch(logFailure('closing the idle engine'));
});
// the user took host access away in the browser: those sites leave the auto-start list
browser.permissions.onRemoved.addListener(() => {
  void dropRevokedAutoStart().catch(logFailure('updating the auto-start sites'));
});
browser.storage.onChanged.addListener((changes, area) => {
  const autoStart = area === 'local' ? changes.autoStart : undefined;
  if (autoStart) {
    void syncAutoStart((sites) => addedSites(autoStart.oldValue, sites));
    void revokeDroppedAutoStart(autoStart.oldValue).catch(logFailure('giving back site access'));
  }
  if (area === 'local' && 'smoothing' in changes)
    void configureEngine().catch(logFailure('applying the smoothing'));
  if (area === 'local' && 'retentionDays' in changes)
    void housekeeping().catch(logFailure('applying the retention'));
});
