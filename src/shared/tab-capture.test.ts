import { describe, expect, it } from 'vitest';
import source from '../../manifest.json';
import { manifestFor } from './manifest-target';
import { TAB_CAPTURE, tabCaptureAvailable, TabCaptureRefused, tabStreamId } from './tab-capture';

function apis(granted: boolean) {
  const calls: string[] = [];
  return {
    calls,
    requestPermission(request: typeof TAB_CAPTURE) {
      calls.push(`request ${request.permissions.join()}`);
      return Promise.resolve(granted);
    },
    getMediaStreamId(tabId: number) {
      calls.push(`getMediaStreamId ${tabId}`);
      return Promise.resolve('stream-1');
    },
  };
}

describe('tabStreamId', () => {
  it('asks for tabCapture first (in the click), then for the tab’s stream id', async () => {
    const a = apis(true);
    await expect(tabStreamId(7, a)).resolves.toBe('stream-1');
    expect(a.calls).toEqual(['request tabCapture', 'getMediaStreamId 7']);
  });

  it('refused: says so in words and never touches chrome.tabCapture', async () => {
    const a = apis(false);
    await expect(tabStreamId(7, a)).rejects.toThrow(TabCaptureRefused);
    await expect(tabStreamId(7, a)).rejects.toThrow(/not allowed to capture tabs/);
    expect(a.calls).toEqual(['request tabCapture', 'request tabCapture']);
  });
});

describe('tabCaptureAvailable', () => {
  it('is offered where tabCapture is granted or may be asked for, not in Firefox', () => {
    expect(tabCaptureAvailable(manifestFor(source, { target: 'chrome', dev: false }))).toBe(true);
    expect(tabCaptureAvailable(manifestFor(source, { target: 'chrome', dev: true }))).toBe(true);
    expect(tabCaptureAvailable(manifestFor(source, { target: 'firefox', dev: false }))).toBe(false);
    expect(tabCaptureAvailable({ permissions: ['storage'] })).toBe(false);
  });
});
