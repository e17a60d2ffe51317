/**
 * One queue per key: `run(key, step)` starts `step` once every earlier step of the same key has
 * settled (fulfilled or not), so read-modify-write sequences on one key never interleave. Keys
 * do not wait for each other, and a key's entry is dropped once its queue is empty.
 */
export class Turns<K> {
  private tails = new Map<K, Promise<unknown>>();

  run<T>(key: K, step: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(step, step);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a step queued or running. */
  get busy(): number {
    return this.tails.size;
  }
}
