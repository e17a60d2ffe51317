/**
 * Chromium's own account of a process's memory, by allocator (the memory-infra dump that
 * chrome://tracing shows): malloc, PartitionAlloc partitions (array buffers, buffers), V8, Blink's
 * garbage-collected heap, Skia, GPU, canvas, discardable memory. Taken through CDP Tracing with the
 * `disabled-by-default-memory-infra` category. Names with `/` are parts of the allocator before it.
 */
import type { CDPSession } from 'playwright-core';

interface TraceEvent {
  pid: number;
  ph: string;
  name?: string;
  args?: {
    dumps?: {
      allocators?: Record<string, { attrs?: Record<string, { units?: string; value?: string }> }>;
    };
  };
}

/** pid → allocator name (and its parts, `a/b`) → size in MiB, of every process in one detailed dump. */
export async function memoryDump(browser: CDPSession): Promise<Map<number, Record<string, number>>> {
  const events: TraceEvent[] = [];
  const collect = (e: { value: object[] }) => events.push(...(e.value as TraceEvent[]));
  browser.on('Tracing.dataCollected', collect);
  try {
    await browser.send('Tracing.start', {
      traceConfig: {
        includedCategories: ['disabled-by-default-memory-infra'],
        excludedCategories: ['*'],
        // (typed as a string map in the protocol types; Chromium reads a list of triggers)
        memoryDumpConfig: { triggers: [] } as unknown as Record<string, string>,
      },
      transferMode: 'ReportEvents',
    });
    const done = new Promise<void>((ok) => browser.once('Tracing.tracingComplete', () => ok()));
    await browser.send('Tracing.requestMemoryDump', { deterministic: true, levelOfDetail: 'detailed' });
    await browser.send('Tracing.end');
    await done;
  } finally {
    browser.off('Tracing.dataCollected', collect);
  }
  const out = new Map<number, Record<string, number>>();
  for (const e of events) {
    const allocators = e.ph === 'v' ? e.args?.dumps?.allocators : undefined;
    if (!allocators) continue;
    const sizes = out.get(e.pid) ?? {};
    for (const [name, node] of Object.entries(allocators)) {
      const size = node.attrs?.size;
      if (!size?.value) continue;
      sizes[name] = (sizes[name] ?? 0) + parseInt(size.value, 16) / 2 ** 20;
    }
    out.set(e.pid, sizes);
  }
  return out;
}

/** The allocators of one process as `name size` pairs, largest first. */
export function formatDump(sizes: Record<string, number> | undefined, parent = ''): string {
  if (!sizes) return '(no dump)';
  const depth = parent ? parent.split('/').length : 0;
  return Object.entries(sizes)
    .filter(([name]) => name.startsWith(parent ? `${parent}/` : '') && name.split('/').length === depth + 1)
    .sort((a, b) => b[1] - a[1])
    .map(([name, mib]) => `${name} ${mib.toFixed(1)}`)
    .join(', ');
}
