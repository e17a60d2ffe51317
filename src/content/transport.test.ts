import { describe, expect, it, vi } from 'vitest';
import type { FrameReply } from '../shared/protocol';
import { AutoTransport, BusyClock, RelayRefused, type JpegTransport, type RelayTransport } from './transport';

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
      expect(auto.relayError).toBe('busy');
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

  it('goes back to JPEG for good when the relay breaks mid-call', async () => {
    const sent: string[] = [];
    const broken = {
      name: 'bitmap',
      send: () => Promise.reject(new RelayRefused('the relay is closed')),
      close: () => sent.push('bitmap:closed'),
    } as unknown as RelayTransport;
    const auto = new AutoTransport(fake('jpeg', sent), () => Promise.resolve(broken), []);
    await new Promise((r) => setTimeout(r, 0));
    expect(auto.name).toBe('bitmap');
    const r = await auto.send(video, meta('v1'), new BusyClock());
    expect(r).toEqual(reply('v1'));
    expect(auto.name).toBe('jpeg');
    expect(sent).toEqual(['bitmap:closed', 'jpeg:v1']);
  });

  it('never tries the relay when the JPEG path was chosen', () => {
    const auto = new AutoTransport(fake('jpeg', []), undefined);
    expect(auto.name).toBe('jpeg');
    expect(auto.relayError).toBe('the JPEG path was chosen');
  });
});
