/** Waits until `check` returns true (polling every `interval` ms), failing after `timeout` ms with `what`. */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeout = 20_000,
  interval = 50,
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * Checks that `check` stays true for `span` ms (sampling every `interval` ms), failing at the
 * first sample where it is false, with `what`. For asserting that something does not happen,
 * where there is no event to wait for: `span` is how long it would take to happen.
 */
export async function throughout(
  what: string,
  check: () => Promise<boolean> | boolean,
  span: number,
  interval = 100,
): Promise<void> {
  const start = Date.now();
  const end = start + span;
  for (;;) {
    const at = Date.now();
    if (!(await check())) {
      throw new Error(`${what} stopped holding after ${String(at - start)} of ${String(span)} ms`);
    }
    if (at >= end) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, end - at)));
  }
}
