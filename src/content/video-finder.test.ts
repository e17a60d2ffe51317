// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OverlayLayer } from './overlay';
import { RELAY_HOST_TAG } from './own-nodes';
import { PageSession } from './page-session';
import { collectCanvases, collectVideos, VideoFinder } from './video-finder';

/** Lets mutation callbacks run, then every timer they set (the finder's throttle included). */
const settle = () => vi.advanceTimersByTimeAsync(1000);

const addVideo = (parent: ParentNode = document.body) => parent.appendChild(document.createElement('video'));

const aborts: AbortController[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  for (const c of aborts.splice(0)) c.abort();
  vi.useRealTimers();
  vi.restoreAllMocks();
  document.documentElement.replaceChildren(document.createElement('head'), document.createElement('body'));
});

function finder() {
  const controller = new AbortController();
  aborts.push(controller);
  const changes: number[] = [];
  const f = new VideoFinder(document, {
    signal: controller.signal,
    onChange: (videos) => changes.push(videos.size),
  });
  const rescans = vi.spyOn(f, 'rescan');
  return { f, changes, rescans, controller };
}

describe('VideoFinder', () => {
  it('finds videos in the document and in nested open shadow roots, and ones added later', async () => {
    addVideo();
    const outer = document.body.appendChild(document.createElement('div')).attachShadow({ mode: 'open' });
    const inner = outer.appendChild(document.createElement('div')).attachShadow({ mode: 'open' });
    addVideo(inner);
    const { f, changes, rescans } = finder();
    expect(f.current.size).toBe(2);
    // a video added inside the nested shadow root is seen: that root is observed too
    addVideo(inner);
    await settle();
    expect(rescans).toHaveBeenCalledTimes(1);
    expect(changes).toEqual([3]);
  });

  it('does not rescan for the overlay drawing labels, nor for the relay frame coming and going', async () => {
    const video = addVideo();
    const { rescans, changes } = finder();
    const overlay = new OverlayLayer(document);
    const face = {
      trackId: 1,
      primary: true,
      box: { x: 10, y: 10, width: 50, height: 50 },
      dominant: 'happy',
      confidence: 0.9,
    };
    for (let i = 0; i < 20; i++) {
      overlay.update([video]);
      overlay.showFaces(video, 640, 360, [{ ...face, box: { ...face.box, x: i } }], 'v1');
      await settle();
    }
    const relay = document.body.appendChild(document.createElement(RELAY_HOST_TAG));
    relay.attachShadow({ mode: 'closed' }).append(document.createElement('div'));
    await settle();
    relay.remove();
    overlay.destroy();
    // text changes cannot add a video either
    document.body.append('a chat line');
    await settle();
    expect(rescans).not.toHaveBeenCalled();
    // the page adding a video still does
    addVideo();
    await settle();
    expect(rescans).toHaveBeenCalledTimes(1);
    expect(changes).toEqual([2]);
  });

  it('stops observing and rescanning once aborted', async () => {
    const { rescans, controller } = finder();
    controller.abort();
    addVideo();
    await settle();
    expect(rescans).not.toHaveBeenCalled();
  });

  it('counts videos once without observing anything (collectVideos)', () => {
    const observe = vi.spyOn(MutationObserver.prototype, 'observe');
    addVideo();
    addVideo(document.body.appendChild(document.createElement('div')).attachShadow({ mode: 'open' }));
    expect(collectVideos(document).size).toBe(2);
    expect(observe).not.toHaveBeenCalled();
  });

  it('finds canvases in open shadow roots at any depth, as a client that draws its call has them (collectCanvases)', () => {
    // Zoom's web client: <video-player> > shadow root > canvas, the players inside a container
    const player = document.body.appendChild(document.createElement('video-player'));
    const inner = player.attachShadow({ mode: 'open' });
    inner.appendChild(document.createElement('canvas'));
    const nested = inner.appendChild(document.createElement('div')).attachShadow({ mode: 'open' });
    nested.appendChild(document.createElement('canvas'));
    document.body.appendChild(document.createElement('canvas'));
    expect(collectCanvases(document).size).toBe(3);
  });
});

describe('PageSession with analysis off', () => {
  it('watches nothing: no observer, no timer, no animation frame; a report counts the videos once', async () => {
    const observe = vi.spyOn(MutationObserver.prototype, 'observe');
    const resize = vi.spyOn(ResizeObserver.prototype, 'observe');
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const frames = vi.spyOn(globalThis, 'requestAnimationFrame');
    addVideo();
    const controller = new AbortController();
    aborts.push(controller);
    const reports: number[] = [];
    const session = new PageSession({
      doc: document,
      signal: controller.signal,
      report: (r) => reports.push(r.videosSeen),
    });
    expect(session.report().videosSeen).toBe(1);
    addVideo();
    await settle();
    expect(session.report().videosSeen).toBe(2);
    expect(observe).not.toHaveBeenCalled();
    expect(resize).not.toHaveBeenCalled();
    expect(frames).not.toHaveBeenCalled();
    expect(timers.mock.calls.length).toBe(0);
    expect(reports).toEqual([]);

    // switched on, it follows the page; switched off again, it stops
    session.setEnabled(true);
    expect(observe).toHaveBeenCalled();
    addVideo();
    await settle();
    expect(reports.at(-1)).toBe(3);
    session.setEnabled(false);
    const seen = reports.length;
    const callsOff = timers.mock.calls.length;
    addVideo();
    await settle();
    expect(reports.length).toBe(seen);
    expect(timers.mock.calls.length).toBe(callsOff);
  });
});
