import { describe, expect, it } from 'vitest';
import { BusyClock } from './transport';

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
