// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FrameReply } from '../shared/protocol';
import { AutoTransport, BusyClock, RelayRefused, RelayTransport, type JpegTransport } from './transport';

describe('BusyClock', () => {
  // a fake clock that each slice advances by hand
  let t = 0;
  const clock = () => new BusyClock(() => t);

  it('adds up the synchronous slices, counting a nested slice once, and not the time between slices', () => {
    const c = clock();
    c.run(() => {
      t += 1;
      c.run(() => (t += 10));
    });
    t += 500; // waiting for the engine: not the page's time
    const value = c.run(() => {
      t += 2;
      return 42;
    });
    expect(value).toBe(42);
    expect(c.ms).toBe(13);
  });

  it('counts a slice that throws', () => {
    const c = clock();
    expect(() =>
      c.run(() => {
        t += 3;
        throw new Error('unreadable');
      }),
    ).toThrow('unreadable');
    expect(c.ms).toBe(3);
    // and the next slice is counted again (the nesting depth was restored)
    c.run(() => (t += 4));
    expect(c.ms).toBe(7);
  });
});

describe('AutoTransport', () => {
  const reply = (sourceId: string): FrameReply => ({ kind: 'dropped', sourceId, timestamp: 0 });
  const fake = (name: string, sent: string[]) =>
    ({
      name,
      send: (_v: HTMLVideoElement, meta: { sourceId: string }) => {
        sent.push(`${name}:${meta.sourceId}`);
        return Promise.resolve(reply(meta.sourceId));
      },
      close: () => sent.push(`${name}:closed`),
    }) as unknown as JpegTransport & RelayTransport;
  const video = {} as HTMLVideoElement;
  const meta = (sourceId: string) => ({ sourceId, timestamp: 0 });

  it('sends by JPEG until the relay is up, tries the relay again after a refusal, then sends bitmaps', async () => {
    vi.useFakeTimers();
    try {
      const sent: string[] = [];
      let tries = 0;
      const auto = new AutoTransport(
        fake('jpeg', sent),
        () =>
          ++tries === 1 ? Promise.reject(new RelayRefused('busy')) : Promise.resolve(fake('bitmap', sent)),
        [1000],
      );
      await vi.advanceTimersByTimeAsync(0);
      expect(auto.name).toBe('jpeg');
      expect(auto.note).toBe('busy');
      await auto.send(video, meta('v1'), new BusyClock());
      await vi.advanceTimersByTimeAsync(1000);
      expect(tries).toBe(2);
      expect(auto.name).toBe('bitmap');
      await auto.send(video, meta('v2'), new BusyClock());
      auto.close();
      expect(sent).toEqual(['jpeg:v1', 'bitmap:v2', 'bitmap:closed']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('makes a relay that breaks mid-call again once, then stays on JPEG; no frame is lost', async () => {
    const sent: string[] = [];
    let made = 0;
    const broken = () => {
      const n = ++made;
      return {
        name: 'bitmap',
        send: () => Promise.reject(new RelayRefused('the page removed the relay frame')),
        close: () => sent.push(`relay${n}:closed`),
      } as unknown as RelayTransport;
    };
    const auto = new AutoTransport(fake('jpeg', sent), () => Promise.resolve(broken()), []);
    const settle = () => new Promise((r) => setTimeout(r, 0));
    await settle();
    expect(auto.name).toBe('bitmap');
    // the frame that finds the relay broken still gets its reply, by JPEG
    expect(await auto.send(video, meta('v1'), new BusyClock())).toEqual(reply('v1'));
    await settle();
    expect(made).toBe(2);
    expect(auto.name).toBe('bitmap');
    expect(auto.note).toBe('the page removed the relay frame; made again');
    expect(await auto.send(video, meta('v2'), new BusyClock())).toEqual(reply('v2'));
    await settle();
    expect(made).toBe(2);
    expect(auto.name).toBe('jpeg');
    expect(auto.note).toMatch(/JPEG images for the rest of this page/);
    await auto.send(video, meta('v3'), new BusyClock());
    expect(sent).toEqual(['relay1:closed', 'jpeg:v1', 'relay2:closed', 'jpeg:v2', 'jpeg:v3']);
  });

  it('counts frames that find the same relay broken as one loss', async () => {
    const sent: string[] = [];
    let made = 0;
    const auto = new AutoTransport(
      fake('jpeg', sent),
      () => {
        made++;
        return Promise.resolve({
          name: 'bitmap',
          send: () => Promise.reject(new RelayRefused('the relay did not answer within 10 s')),
          close: () => undefined,
        } as unknown as RelayTransport);
      },
      [],
    );
    await new Promise((r) => setTimeout(r, 0));
    await Promise.all(['v1', 'v2', 'v3'].map((id) => auto.send(video, meta(id), new BusyClock())));
    await new Promise((r) => setTimeout(r, 0));
    // three tiles failed on relay 1: it was made again once, and that one is still in use
    expect(made).toBe(2);
    expect(auto.name).toBe('bitmap');
  });

  it('never tries the relay when the JPEG path was chosen', () => {
    const auto = new AutoTransport(fake('jpeg', []), 'the JPEG path was chosen in the settings');
    expect(auto.name).toBe('jpeg');
    expect(auto.note).toBe('the JPEG path was chosen in the settings');
  });
});

describe('RelayTransport', () => {
  /** A port whose relay never answers unless the test says so. */
  const silentPort = () => {
    const posted: { id: number }[] = [];
    const port = {
      onmessage: null as ((event: MessageEvent) => void) | null,
      postMessage: (frame: { id: number }) => posted.push(frame),
      close: () => undefined,
    };
    return { port, posted };
  };
  const video = { videoWidth: 320, videoHeight: 240 } as HTMLVideoElement;
  const frameMeta = { sourceId: 'v1', timestamp: 1 };

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    document.documentElement.querySelectorAll('moodlens-relay').forEach((el) => el.remove());
  });

  const relayIn = (deadlineMs: number) => {
    vi.stubGlobal('createImageBitmap', () => Promise.resolve({ close: () => undefined }));
    const host = document.createElement('moodlens-relay');
    document.documentElement.append(host);
    const { port, posted } = silentPort();
    const frame = document.createElement('iframe');
    return { relay: new RelayTransport(host, port, frame, deadlineMs), host, frame, port, posted };
  };

  it('gives a frame the relay never answers up at its deadline', async () => {
    vi.useFakeTimers();
    const { relay, posted } = relayIn(10_000);
    const sent = relay.send(video, frameMeta, new BusyClock());
    const outcome = sent.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(posted).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toEqual(new RelayRefused('the relay did not answer within 10 s'));
  });

  it('answers a frame the relay replies to, before its deadline', async () => {
    const { relay, port, posted } = relayIn(10_000);
    const sent = relay.send(video, frameMeta, new BusyClock());
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    const answer: FrameReply = { kind: 'dropped', sourceId: 'v1', timestamp: 1 };
    port.onmessage?.({ data: { kind: 'reply', id: posted[0]?.id, reply: answer } } as MessageEvent);
    expect(await sent).toEqual(answer);
  });

  it('fails waiting frames at once when the relay frame loads again (the page navigated it)', async () => {
    const { relay, frame, posted } = relayIn(60_000);
    const sent = relay.send(video, frameMeta, new BusyClock()).catch((e: unknown) => e);
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    frame.dispatchEvent(new Event('load'));
    expect(await sent).toEqual(new RelayRefused('the relay frame was navigated away'));
  });

  it('fails waiting frames at once when the page removes the relay, and refuses new ones', async () => {
    const { relay, host, posted } = relayIn(60_000);
    const sent = relay.send(video, frameMeta, new BusyClock()).catch((e: unknown) => e);
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    host.remove();
    expect(await sent).toEqual(new RelayRefused('the page removed the relay frame'));
    await expect(relay.send(video, frameMeta, new BusyClock())).rejects.toBeInstanceOf(RelayRefused);
  });
});
