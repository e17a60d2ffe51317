/**
 * Other work on the machine during a benchmark, as a meeting page's video decoding and drawing
 * would be: `count` processes that each keep one core busy (a spinning loop, at the benchmark's own
 * priority) until stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface BusyCores {
  count: number;
  stop(): Promise<void>;
}

export function startBusyCores(count: number): BusyCores {
  if (!(Number.isInteger(count) && count >= 0)) throw new Error(`busy cores: ${count} is not a whole number`);
  const children: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  return {
    count,
    stop: async () => {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}
