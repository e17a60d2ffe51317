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
