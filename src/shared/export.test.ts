import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { EMOTIONS } from './emotions';
import {
  CSV_COLUMNS,
  exportFileName,
  parseSessionCsv,
  parseSessionJson,
  sessionToCsv,
  sessionToJson,
} from './export';
import type { SessionData } from './session';

function probs(seed: number): number[] {
  const raw = EMOTIONS.map((_, i) => 1 + ((seed * 7 + i * 13) % 11));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((r) => r / sum);
}

const data: SessionData = {
  meta: {
    id: 'abc',
    title: 'Team "sync", weekly',
    origin: 'https://meet.example.com',
    startedAt: Date.UTC(2026, 10, 29, 14, 0, 0),
    endedAt: Date.UTC(2026, 10, 29, 14, 1, 0),
    samples: 5,
    participants: [
      { id: 'v1', name: 'Ada, "the first"', firstSeen: 0 },
      { id: 'v2', name: '=HYPERLINK("http://x")', firstSeen: 0 },
    ],
  },
  timelines: [
    {
      participantId: 'v1',
      t: [0, 500, 1000].map((d) => Date.UTC(2026, 10, 29, 14, 0, 1) + d),
      p: [probs(1), probs(2), probs(3)],
    },
    {
      participantId: 'v2',
      t: [250, 750].map((d) => Date.UTC(2026, 10, 29, 14, 0, 1) + d),
      p: [probs(4), probs(5)],
    },
  ],
};

describe('CSV export', () => {
  it('writes one row per participant per sample, in time order, with the documented columns', () => {
    const rows = parseCsv(sessionToCsv(data));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(6);
    expect(rows.slice(1).map((r) => r[2])).toEqual(['v1', 'v2', 'v1', 'v2', 'v1']);
    expect(rows[1]?.[0]).toBe('2026-11-29T14:00:01.000Z');
    expect(rows[1]?.[1]).toBe('1.000');
    const p = rows[1]?.slice(4, 11).map(Number) ?? [];
    expect(rows[1]?.[11]).toBe(EMOTIONS[p.indexOf(Math.max(...p))]);
  });

  it('round-trips names with commas and quotes, and defuses spreadsheet formulas', () => {
    const csv = sessionToCsv(data);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    const back = parseSessionCsv(csv);
    expect(back.names.get('v1')).toBe('Ada, "the first"');
    expect(back.names.get('v2')).toBe('=HYPERLINK("http://x")');
    for (const tl of data.timelines) {
      const got = back.timelines.find((x) => x.participantId === tl.participantId);
      expect(got?.t).toEqual(tl.t);
      got?.p.forEach((row, i) => row.forEach((v, k) => expect(v).toBeCloseTo(tl.p[i]?.[k] ?? NaN, 6)));
    }
  });

  it('refuses a file that is not a MoodLens export', () => {
    expect(() => parseSessionCsv('a,b\n1,2\n')).toThrow(/not a MoodLens CSV export/);
  });
});

describe('JSON export', () => {
  it('round-trips the whole session exactly', () => {
    expect(parseSessionJson(sessionToJson(data))).toEqual(data);
  });

  it('refuses other formats and versions', () => {
    expect(() => parseSessionJson('{"format":"x"}')).toThrow(/not a MoodLens session export/);
    expect(() => parseSessionJson('{"format":"moodlens-session","version":99}')).toThrow(/version 99/);
  });
});

describe('exportFileName', () => {
  it('names the file by host and start time, nothing else', () => {
    expect(exportFileName(data, 'csv')).toBe('moodlens-meet.example.com-2026-11-29-14-00.csv');
  });
});
