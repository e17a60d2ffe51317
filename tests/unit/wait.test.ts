import { describe, expect, it } from 'vitest';
import { throughout } from '../browser/wait.ts';

describe('throughout', () => {
  it('resolves after the whole span when the condition holds, having sampled it to the end', async () => {
    const samples: number[] = [];
    const start = Date.now();
    await throughout('always', () => (samples.push(Date.now() - start), true), 120, 20);
    expect(Date.now() - start).toBeGreaterThanOrEqual(120);
    expect(samples.length).toBeGreaterThanOrEqual(3);
    expect(samples.at(-1)).toBeGreaterThanOrEqual(120);
  });

  it('fails at the first sample where the condition is false, naming it', async () => {
    let n = 0;
    const start = Date.now();
    await expect(throughout('the count stays small', () => ++n < 3, 5000, 10)).rejects.toThrow(
      /the count stays small stopped holding after \d+ of 5000 ms/,
    );
    expect(n).toBe(3);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});
