/**
 * Helpers for the UI component tests (happy-dom): a root element per test, and waiting for a state
 * of the rendered UI rather than for a fixed time.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';

export interface TestRoot {
  el: HTMLElement;
  $: (selector: string) => Element | null;
  $$: (selector: string) => NodeListOf<Element>;
  /** Lets effects and promises run until `ready` holds (polling, at most 5 s). */
  until: (ready: () => unknown, what?: string) => Promise<void>;
  unmount: () => void;
}

export function testRoot(): TestRoot {
  const el = document.createElement('div');
  document.body.append(el);
  return {
    el,
    $: (s) => el.querySelector(s),
    $$: (s) => el.querySelectorAll(s),
    async until(ready, what = 'the UI to render') {
      const deadline = Date.now() + 5000;
      for (;;) {
        await act(async () => {
          await new Promise((r) => setTimeout(r, 10));
        });
        if (ready()) return;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      }
    },
    unmount() {
      render(null, el);
      el.remove();
    },
  };
}
