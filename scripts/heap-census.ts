/**
 * `npm run soak -- --heap-diff`: what a V8 heap snapshot holds, counted by kind of object, and the
 * difference between two such counts (the kinds that grew most between the end of the warm-up and
 * the end of the run).
 */

/** The fields of a `.heapsnapshot` file this reads. */
export interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: unknown[] } };
  nodes: number[];
  strings: string[];
}

/** Kind of object ("object Map", "closure onMessage", "string", ...) → how many, and their bytes. */
export type HeapCensus = Map<string, { count: number; bytes: number }>;

/** Counts a snapshot's objects by type and constructor (strings, numbers and code by type alone). */
export function heapCensus(snapshot: HeapSnapshot): HeapCensus {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0] as string[];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const census: HeapCensus = new Map();
  for (let i = 0; i + width <= snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt] as number] ?? '?';
    const named = type === 'object' || type === 'closure' || type === 'native' || type === 'array';
    const key = named ? `${type} ${snapshot.strings[snapshot.nodes[i + nameAt] as number] ?? '?'}` : type;
    const entry = census.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snapshot.nodes[i + sizeAt] as number;
    census.set(key, entry);
  }
  return census;
}

export interface CensusChange {
  kind: string;
  count: number;
  bytes: number;
}

/** The kinds whose bytes grew most from `before` to `after`, largest first. */
export function censusGrowth(before: HeapCensus, after: HeapCensus, top = 15): CensusChange[] {
  const kinds = new Set([...before.keys(), ...after.keys()]);
  return [...kinds]
    .map((kind) => ({
      kind,
      count: (after.get(kind)?.count ?? 0) - (before.get(kind)?.count ?? 0),
      bytes: (after.get(kind)?.bytes ?? 0) - (before.get(kind)?.bytes ?? 0),
    }))
    .filter((c) => c.bytes > 0 || c.count > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

/** The growth as printed lines. */
export function formatCensusGrowth(target: string, changes: readonly CensusChange[]): string {
  const lines = changes.map(
    (c) =>
      `  ${(c.bytes / 1024).toFixed(1).padStart(9)} KiB  ${String(c.count).padStart(8)} objects  ${c.kind.slice(0, 100)}`,
  );
  return [`heap growth of the ${target} (after garbage collection), largest first:`, ...lines].join('\n');
}
