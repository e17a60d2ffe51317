import { describe, expect, it, vi } from 'vitest';
import {
  createDispatcher,
  envelope,
  isEnvelope,
  isTrustedSender,
  MessageError,
  parseName,
  send,
  type SenderInfo,
  type Transport,
} from './messaging';
import { MESSAGE_NAMES } from './protocol';

const self = { id: 'ext-id', origin: 'chrome-extension://ext-id/' };
const popup: SenderInfo = { id: 'ext-id', url: 'chrome-extension://ext-id/src/popup/index.html' };
const page: SenderInfo = { id: 'ext-id', url: 'https://meet.example/abc', tab: { id: 7 } };

describe('message names', () => {
  it('every protocol name reads from>to:what with known contexts', () => {
    for (const name of MESSAGE_NAMES) {
      const parsed = parseName(name);
      expect(parsed, name).not.toBeNull();
      expect(parsed?.from).not.toBe(parsed?.to);
    }
  });

  it('rejects malformed names', () => {
    expect(parseName('popup:getTabStatus')).toBeNull();
    expect(parseName('page>bg:x')).toBeNull();
  });

  it('recognises its own envelopes only', () => {
    expect(isEnvelope(envelope('bg>content:getReport', {}))).toBe(true);
    expect(isEnvelope({ type: 'bg>content:getReport' })).toBe(false);
    expect(isEnvelope(null)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('accepts extension pages as popup/background/offscreen senders, not web pages', () => {
    expect(isTrustedSender('popup', popup, self)).toBe(true);
    expect(isTrustedSender('popup', page, self)).toBe(false);
    expect(
      isTrustedSender(
        'bg',
        { id: 'ext-id', url: 'chrome-extension://ext-id/service-worker-loader.js' },
        self,
      ),
    ).toBe(true);
  });

  it('accepts content messages only from a tab that is not an extension page', () => {
    expect(isTrustedSender('content', page, self)).toBe(true);
    expect(isTrustedSender('content', popup, self)).toBe(false);
    expect(isTrustedSender('content', { ...popup, tab: { id: 3 } }, self)).toBe(false);
  });

  it('accepts relay messages only from an extension page framed in a tab', () => {
    const relay = { id: 'ext-id', url: 'chrome-extension://ext-id/src/relay/index.html', tab: { id: 3 } };
    expect(isTrustedSender('relay', relay, self)).toBe(true);
    // the same page outside a tab, or a web page claiming to be the relay
    expect(isTrustedSender('relay', { ...relay, tab: undefined }, self)).toBe(false);
    expect(isTrustedSender('relay', page, self)).toBe(false);
  });

  it('refuses other extensions', () => {
    expect(isTrustedSender('popup', { ...popup, id: 'other' }, self)).toBe(false);
    expect(isTrustedSender('content', { ...page, id: 'other' }, self)).toBe(false);
  });
});

describe('dispatcher and send', () => {
  const helloSeen: unknown[] = [];
  const dispatch = createDispatcher(
    'bg',
    {
      'popup>bg:getTabStatus': ({ tabId }) => ({
        tabId,
        scriptable: true,
        enabled: false,
        videos: 2,
        videosSeen: 3,
      }),
      'popup>bg:setEnabled': () => {
        throw new Error('tab is gone');
      },
      'popup>bg:pingEngine': () => ({ host: 'background', uptimeMs: 1 }),
      'popup>bg:engineStatus': () => ({ state: 'idle' }),
      'popup>bg:setBackend': () => ({ state: 'idle' }),
      'popup>bg:live': () => ({ sessionId: undefined, faces: [], fps: 0, latencyMs: undefined }),
      'popup>bg:renameParticipant': () => ({ ok: true }),
      'popup>bg:deleteSessions': () => ({ deleted: 0 }),
      'popup>bg:classifyFaces': () => ({ probabilities: [], backend: undefined }),
      'content>bg:sourcesGone': () => ({ ok: true }),
      'content>bg:frameLoaded': () => ({ ok: true }),
      'content>bg:hello': (report) => {
        helloSeen.push(report);
        return { enabled: true, relayToken: 'secret' };
      },
      'relay>bg:hello': () => ({ tabId: 1 }),
      'relay>bg:frameResult': () => ({ ok: true }),
      'content>bg:regions': () => ({ ok: true }),
      'popup>bg:startCapture': () => {
        throw new Error('not in this test');
      },
      'popup>bg:stopCapture': () => {
        throw new Error('not in this test');
      },
      'offscreen>bg:captureResult': () => ({ ok: true }),
      'offscreen>bg:captureEnded': () => ({ ok: true }),
      'content>bg:videosChanged': () => ({ ok: true }),
      'content>bg:frame': () => ({ kind: 'unavailable', reason: 'test' }),
    },
    () => self,
  );
  const via =
    (sender: SenderInfo): Transport =>
    (message) =>
      dispatch(message, sender) ?? Promise.resolve(undefined);

  it('routes a request to its handler and returns the typed response', async () => {
    const status = await send(via(popup), 'popup>bg:getTabStatus', { tabId: 4 });
    expect(status).toEqual({ tabId: 4, scriptable: true, enabled: false, videos: 2, videosSeen: 3 });
  });

  it('carries a handler error back as a MessageError with its text', async () => {
    await expect(send(via(popup), 'popup>bg:setEnabled', { tabId: 4, enabled: true })).rejects.toThrow(
      /popup>bg:setEnabled: tab is gone/,
    );
  });

  it('ignores messages addressed to another context, and foreign messages', () => {
    expect(dispatch(envelope('bg>content:getReport', {}), popup)).toBeUndefined();
    expect(dispatch({ hello: 'world' }, popup)).toBeUndefined();
  });

  it('refuses a popup message sent from a web page', async () => {
    await expect(send(via(page), 'popup>bg:getTabStatus', { tabId: 1 })).rejects.toThrow(/untrusted sender/);
  });

  it('refuses a malformed payload before its handler sees it, and logs why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    helloSeen.length = 0;
    const forged = { videos: 1, videosSeen: 1, enabled: 'yes', url: 'https://meet.example/' };
    const reply = await dispatch({ moodlens: 1, type: 'content>bg:hello', payload: forged }, page);
    expect(reply).toMatchObject({ ok: false });
    expect((reply as { error: string }).error).toMatch(/content>bg:hello refused: .*enabled/);
    expect(helloSeen).toEqual([]);
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/refused a malformed message: content>bg:hello enabled/),
    );
    warn.mockRestore();
  });

  it('hands the handler the checked copy, without keys the sender added', async () => {
    helloSeen.length = 0;
    const report = { videos: 1, videosSeen: 1, enabled: true, url: 'https://meet.example/', sessionId: 'x' };
    await dispatch({ moodlens: 1, type: 'content>bg:hello', payload: report }, page);
    expect(helloSeen).toEqual([{ videos: 1, videosSeen: 1, enabled: true, url: 'https://meet.example/' }]);
  });

  it('reports a missing receiver clearly', async () => {
    const nobody: Transport = () => Promise.resolve(undefined);
    const error = await send(nobody, 'bg>offscreen:ping', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageError);
    expect((error as Error).message).toMatch(/no receiver answered/);
  });
});
