import { send } from '../shared/messaging';
import { browser, toRuntime } from '../shared/platform';
import type { ExtensionClient } from './client';

export function extensionClient(): ExtensionClient {
  return {
    async currentTabId() {
      const fromQuery = Number(new URLSearchParams(location.search).get('tabId'));
      if (Number.isInteger(fromQuery) && fromQuery > 0) return fromQuery;
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      if (tab?.id === undefined) throw new Error('There is no active tab.');
      return tab.id;
    },
    getTabStatus: (tabId) => send(toRuntime, 'popup>bg:getTabStatus', { tabId }),
    setEnabled: (tabId, enabled) => send(toRuntime, 'popup>bg:setEnabled', { tabId, enabled }),
    engineStatus: () => send(toRuntime, 'popup>bg:engineStatus', { start: false }),
    setBackend: (backend) => send(toRuntime, 'popup>bg:setBackend', { backend }),
    watchTab(tabId, onChange) {
      const listener = (changes: Record<string, unknown>, area: string) => {
        if (area === 'session' && `tab:${tabId}` in changes) onChange();
      };
      browser.storage.onChanged.addListener(listener);
      return () => browser.storage.onChanged.removeListener(listener);
    },
  };
}
