import { send } from '../shared/messaging';
import { LIVE_SAMPLES_SCHEMA } from '../shared/message-schemas';
import { browser, target, toRuntime } from '../shared/platform';
import { LIVE_PORT, type LiveWatch } from '../shared/protocol';
import { SessionStore } from '../shared/session-store';
import {
  NOTICE_VERSION,
  parseSettings,
  SETTING_KEYS,
  validateSettingsPatch,
  type Settings,
} from '../shared/settings';
import type { ExtensionClient } from './client';
import { tabStreamId } from '../shared/tab-capture';

/**
 * The real client. Sessions are read straight from the extension's IndexedDB (the same origin as
 * the background, which owns every write), so long timelines never travel as messages.
 */
export function extensionClient(): ExtensionClient {
  let store: Promise<SessionStore> | undefined;
  const sessions = () => (store ??= SessionStore.open());
  const readSettings = async () => parseSettings(await browser.storage.local.get(SETTING_KEYS));
  return {
    async currentTabId() {
      const query = new URLSearchParams(location.search);
      const fromQuery = Number(query.get('tabId') ?? query.get('tab'));
      if (Number.isInteger(fromQuery) && fromQuery > 0) return fromQuery;
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      if (tab?.id === undefined) throw new Error('There is no active tab.');
      return tab.id;
    },
    getTabStatus: (tabId) => send(toRuntime, 'popup>bg:getTabStatus', { tabId }),
    setEnabled: (tabId, enabled) => send(toRuntime, 'popup>bg:setEnabled', { tabId, enabled }),
    async setCapture(tabId, on) {
      if (!on) return send(toRuntime, 'popup>bg:stopCapture', { tabId });
      // the permission and the stream id must be asked for here, in the user's click on the popup
      const streamId = await tabStreamId(tabId, {
        requestPermission: (request) => chrome.permissions.request(request),
        // chrome.tabCapture appears once the permission is granted: read it only then
        getMediaStreamId: (targetTabId) => chrome.tabCapture.getMediaStreamId({ targetTabId }),
      });
      return send(toRuntime, 'popup>bg:startCapture', { tabId, streamId });
    },
    engineStatus: () => send(toRuntime, 'popup>bg:engineStatus', { start: false }),
    setBackend: (backend) => send(toRuntime, 'popup>bg:setBackend', { backend }),
    watchTab(tabId, onChange) {
      const listener = (changes: Record<string, unknown>, area: string) => {
        if (area === 'session' && `tab:${tabId}` in changes) onChange();
      };
      browser.storage.onChanged.addListener(listener);
      return () => browser.storage.onChanged.removeListener(listener);
    },
    live: (tabId) => send(toRuntime, 'popup>bg:live', { tabId }),
    watchSamples(tabId, onSamples) {
      let closed = false;
      let port: ReturnType<typeof browser.runtime.connect> | undefined;
      let retry: ReturnType<typeof setTimeout> | undefined;
      const open = () => {
        port = browser.runtime.connect({ name: LIVE_PORT });
        port.onMessage.addListener((message: unknown) => {
          try {
            const pushed = LIVE_SAMPLES_SCHEMA.parse(message);
            if (pushed.tabId === tabId) onSamples(pushed.samples);
          } catch (error) {
            console.error('[MoodLens] a live update was refused:', error);
          }
        });
        // the port closes with the service worker: connect again (which wakes it)
        port.onDisconnect.addListener(() => {
          if (!closed) retry = setTimeout(open, 1000);
        });
        port.postMessage({ tabId } satisfies LiveWatch);
      };
      open();
      return () => {
        closed = true;
        clearTimeout(retry);
        port?.disconnect();
      };
    },
    watchActiveTab(onChange) {
      let windowId: number | undefined;
      void browser.windows.getCurrent().then((w) => (windowId = w.id));
      const listener = (info: { tabId: number; windowId: number }) => {
        if (windowId === undefined || info.windowId === windowId) onChange(info.tabId);
      };
      browser.tabs.onActivated.addListener(listener);
      return () => browser.tabs.onActivated.removeListener(listener);
    },
    openSidePanel(tabId) {
      // in the click's user gesture: nothing is awaited before
      if (target === 'firefox') return browser.sidebarAction.open();
      return chrome.sidePanel.open({ tabId });
    },
    listSessions: async () => (await sessions()).list(),
    getSession: async (id) => (await sessions()).get(id),
    getSessionMeta: async (id) => (await sessions()).getMeta(id),
    getSummaries: async (ids) => (await sessions()).summaries(ids),
    renameParticipant: async (sessionId, participantId, name) => {
      await send(toRuntime, 'popup>bg:renameParticipant', { sessionId, participantId, name });
    },
    deleteSessions: async (sessionIds) =>
      (await send(toRuntime, 'popup>bg:deleteSessions', { sessionIds })).deleted,
    getSettings: readSettings,
    async saveSettings(patch: Partial<Settings>) {
      validateSettingsPatch(patch);
      if (patch.autoStart?.length) {
        // must run in the click's user gesture: nothing is awaited before it
        const granted = await browser.permissions.request({ origins: patch.autoStart });
        if (!granted)
          throw new Error(
            'MoodLens was not allowed to read those sites, so it cannot start there by itself.',
          );
      }
      if (patch.backend !== undefined)
        await send(toRuntime, 'popup>bg:setBackend', { backend: patch.backend });
      // the back end was stored by the background with the engine's switch
      const rest: Partial<Settings> = { ...patch };
      delete rest.backend;
      await browser.storage.local.set(rest);
      return readSettings();
    },
    async noticeAcknowledged() {
      // the development flavour (tests, the demo) counts as acknowledged, as in the background
      if (__MOODLENS_DEV__) return true;
      const { noticeAcknowledged } = (await browser.storage.local.get('noticeAcknowledged')) as {
        noticeAcknowledged?: unknown;
      };
      return typeof noticeAcknowledged === 'number' && noticeAcknowledged >= NOTICE_VERSION;
    },
    async acknowledgeNotice() {
      await browser.storage.local.set({ noticeAcknowledged: NOTICE_VERSION });
    },
    async openReport(sessionId) {
      const url = browser.runtime.getURL(`src/report/index.html${sessionId ? `?session=${sessionId}` : ''}`);
      await browser.tabs.create({ url });
    },
  };
}
