import { describe, expect, it } from 'vitest';
import { extensionMs } from '../../scripts/bench-page.ts';

const frame = (url: string) => ({ url });

describe('extensionMs (page benchmark)', () => {
  it('sums the samples whose stack runs through an extension script, each until the next sample', () => {
    // root → page script → extension callback → native (style recalc asked by the extension)
    const profile = {
      nodes: [
        { id: 1, callFrame: frame(''), children: [2, 3] },
        { id: 2, callFrame: frame('http://localhost/demo.js'), children: [4] },
        { id: 3, callFrame: frame('chrome-extension://abc/assets/content.js'), children: [5] },
        { id: 4, callFrame: frame('http://localhost/demo.js') },
        { id: 5, callFrame: frame('') },
      ],
      samples: [2, 3, 5, 4, 1],
      timeDeltas: [0, 1000, 2000, 500, 4000],
    };
    // sample 3 (until the next: 2 ms) and sample 5 (0.5 ms)
    expect(extensionMs(profile)).toBe(2.5);
    expect(extensionMs({ nodes: [] })).toBe(0);
  });
});
