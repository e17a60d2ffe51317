import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../shared/emotions';
import { LIVE_PORT, type FrameResult } from '../shared/protocol';
import { LiveFeed, type FeedPort } from './live-feed';

const SELF = { id: 'moodlens', origin: 'chrome-extension://moodlens/' };
const P = EMOTIONS.map((_, i) => (i === 3 ? 0.7 : 0.05));

function port(url: string, name = LIVE_PORT) {
  const messages: unknown[] = [];
  const listeners: ((m: unknown) => void)[] = [];
  const closers: (() => void)[] = [];
  let disconnected = false;
  const p: FeedPort = {
    name,
    sender: { id: SELF.id, url },
    postMessage: (m) => messages.push(m),
    disconnect: () => (disconnected = true),
    onMessage: { addListener: (l) => listeners.push(l) },
    onDisconnect: { addListener: (l) => closers.push(l) },
  };
  return {
    p,
    messages,
    send: (m: unknown) => listeners.forEach((l) => l(m)),
    close: () => closers.forEach((c) => c()),
    get disconnected() {
      return disconnected;
    },
  };
}

function result(sourceId: string, trackIds: [number, boolean][]): FrameResult {
  return {
    kind: 'result',
    sourceId,
    timestamp: 1000,
    width: 640,
    height: 480,
    faces: trackIds.map(([trackId, primary]) => ({
      trackId,
      primary,
      box: { x: 0, y: 0, width: 10, height: 10 },
      probabilities: P,
      dominant: 'happy',
      confidence: 0.7,
    })),
    timings: { detectMs: 1, cropMs: 1, classifyMs: 1, totalMs: 3 },
  };
}

describe('LiveFeed', () => {
  it("pushes a recorded frame's samples to the pages watching its tab, as participants", () => {
    const feed = new LiveFeed(() => SELF);
    const panel = port(`${SELF.origin}src/sidepanel/index.html`);
    const other = port(`${SELF.origin}src/sidepanel/index.html?tab=9`);
    feed.connect(panel.p);
    feed.connect(other.p);
    panel.send({ tabId: 4 });
    other.send({ tabId: 9 });
    feed.publish(
      4,
      result('v2', [
        [1, true],
        [5, false],
      ]),
    );
    expect(panel.messages).toEqual([
      {
        tabId: 4,
        samples: [
          { participantId: 'v2', t: 1000, p: P },
          { participantId: 'v2/5', t: 1000, p: P },
        ],
      },
    ]);
    expect(other.messages).toEqual([]);
    // a frame without faces sends nothing; a closed port is forgotten
    feed.publish(4, result('v2', []));
    panel.close();
    feed.publish(4, result('v2', [[1, true]]));
    expect(panel.messages).toHaveLength(1);
    expect(feed.size).toBe(1);
  });

  it('refuses content scripts, other extensions and malformed watch requests', () => {
    const feed = new LiveFeed(() => SELF);
    const page = port('https://meet.example.com/abc');
    feed.connect(page.p);
    expect(page.disconnected).toBe(true);
    const stranger = port(`${SELF.origin}x.html`);
    stranger.p.sender = { id: 'someone-else', url: `${SELF.origin}x.html` };
    feed.connect(stranger.p);
    expect(stranger.disconnected).toBe(true);
    const bad = port(`${SELF.origin}src/sidepanel/index.html`);
    feed.connect(bad.p);
    bad.send({ tabId: 'all' });
    expect(bad.disconnected).toBe(true);
    // another port name is someone else's business
    const unrelated = port('https://meet.example.com/', 'other');
    feed.connect(unrelated.p);
    expect(unrelated.disconnected).toBe(false);
    feed.publish(4, result('v2', [[1, true]]));
    expect(feed.size).toBe(0);
  });
});
