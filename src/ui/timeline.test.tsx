// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../shared/emotions';
import { testRoot, type TestRoot } from './test-dom';
import { Timeline } from './Timeline';

const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);
const HAPPY = EMOTIONS.map((_, k) => (k === 3 ? 0.7 : 0.05));

let t: TestRoot;
afterEach(() => t.unmount());

/** A participant first seen 60 s into the session, away from 80 s to 110 s, then back until 120 s. */
function timeline() {
  const times = [
    ...Array.from({ length: 40 }, (_, i) => T0 + 60_000 + i * 500),
    ...Array.from({ length: 20 }, (_, i) => T0 + 110_000 + i * 500),
  ];
  return { participantId: 'v1', t: times, p: times.map(() => HAPPY) };
}

describe('Timeline', () => {
  it("starts at the participant's first sample, not at the session start, and leaves a gap blank", async () => {
    t = testRoot();
    await act(() =>
      render(
        <Timeline timeline={timeline()} name="Ada" start={T0} end={T0 + 120_000} width={600} height={40} />,
        t.el,
      ),
    );
    const happy = t.$('path.band-happy')?.getAttribute('d') ?? '';
    // two runs (before and after the gap), the first from the left edge
    expect(happy.match(/M/g)).toHaveLength(2);
    expect(happy.startsWith('M0.0,')).toBe(true);
    // the gap (80 s to 110 s of a 60 s chart from 60 s) is not drawn over: the second run starts at x=500
    expect(happy.split('M')[2]?.startsWith('500.0,')).toBe(true);
    // times are still read from the session's start
    await act(() => {
      t.$('svg')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    });
    expect(t.$('[data-testid="timeline-readout"]')?.textContent).toMatch(/^1:00: happy 70%/);
    // the text alternative: shares and trend
    expect(t.$('svg')?.getAttribute('aria-label')).toMatch(
      /^Ada, from 1:00 to 2:00: happy 100%; valence steady\. 60 samples\./,
    );
  });
});
