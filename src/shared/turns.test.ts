import { describe, expect, it } from 'vitest';
import { Turns } from './turns';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('Turns', () => {
  it('runs the steps of one key one after another, in call order, and keys side by side', async () => {
    const turns = new Turns<number>();
    const log: string[] = [];
    const step = (name: string) => () =>
      (async () => {
        log.push(`${name} start`);
        await tick();
        await tick();
        log.push(`${name} end`);
        return name;
      })();
    const results = await Promise.all([
      turns.run(1, step('a')),
      turns.run(1, step('b')),
      turns.run(2, step('x')),
    ]);
    expect(results).toEqual(['a', 'b', 'x']);
    // b starts only after a ended; x (another key) ran beside a
    expect(log.indexOf('b start')).toBeGreaterThan(log.indexOf('a end'));
    expect(log.indexOf('x start')).toBeLessThan(log.indexOf('a end'));
  });

  it('goes on after a failed step, passes its error to its caller, and forgets idle keys', async () => {
    const turns = new Turns<string>();
    const failed = turns.run('k', () => Promise.reject(new Error('store closed')));
    const next = turns.run('k', () => Promise.resolve(7));
    await expect(failed).rejects.toThrow('store closed');
    await expect(next).resolves.toBe(7);
    await tick();
    expect(turns.busy).toBe(0);
  });

  it('makes concurrent read-modify-writes of one key keep every write', async () => {
    const turns = new Turns<number>();
    let stored = { a: 0, b: 0 };
    const patch = (p: Partial<typeof stored>) =>
      turns.run(1, async () => {
        const read = { ...stored };
        await tick();
        stored = { ...read, ...p };
      });
    await Promise.all([patch({ a: 1 }), patch({ b: 2 })]);
    expect(stored).toEqual({ a: 1, b: 2 });
  });
});
