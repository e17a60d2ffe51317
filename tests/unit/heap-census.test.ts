import { describe, expect, it } from 'vitest';
import { censusGrowth, heapCensus, type HeapSnapshot } from '../../scripts/heap-census';

/** A snapshot of nodes given as [type, name, self size]. */
function snapshot(nodes: [string, string, number][]): HeapSnapshot {
  const types = ['hidden', 'object', 'closure', 'string', 'native'];
  const strings = [...new Set(nodes.map(([, name]) => name))];
  return {
    snapshot: { meta: { node_fields: ['type', 'name', 'id', 'self_size'], node_types: [types] } },
    nodes: nodes.flatMap(([type, name, size], i) => [types.indexOf(type), strings.indexOf(name), i, size]),
    strings,
  };
}

describe('heap census', () => {
  it('counts objects by type and constructor, strings by type alone', () => {
    const census = heapCensus(
      snapshot([
        ['object', 'Promise', 16],
        ['object', 'Promise', 16],
        ['closure', 'onMessage', 32],
        ['string', 'hello', 20],
        ['string', 'world', 24],
      ]),
    );
    expect(census.get('object Promise')).toEqual({ count: 2, bytes: 32 });
    expect(census.get('closure onMessage')).toEqual({ count: 1, bytes: 32 });
    expect(census.get('string')).toEqual({ count: 2, bytes: 44 });
  });

  it('lists the kinds that grew, largest first', () => {
    const before = heapCensus(
      snapshot([
        ['object', 'Promise', 16],
        ['native', 'buffer', 100],
      ]),
    );
    const after = heapCensus(
      snapshot([
        ['object', 'Promise', 16],
        ['object', 'Promise', 16],
        ['native', 'buffer', 1000],
        ['object', 'Map', 8],
      ]),
    );
    expect(censusGrowth(before, after)).toEqual([
      { kind: 'native buffer', count: 0, bytes: 900 },
      { kind: 'object Promise', count: 1, bytes: 16 },
      { kind: 'object Map', count: 1, bytes: 8 },
    ]);
  });
});
