/**
 * Exports of a session. CSV: one row per participant per sample, columns documented in the README
 * (`time`, `elapsed_s`, `participant_id`, `participant`, the seven probabilities in EMOTIONS order,
 * `dominant`). JSON: the whole session (`format: "moodlens-session"`, `version`). Both round-trip:
 * parseSessionCsv / parseSessionJson read back what these write.
 */
import { parseCsv } from './csv';
import { dominantOf, EMOTIONS } from './emotions';
import type { SessionData, Timeline } from './session';

export const CSV_COLUMNS = [
  'time',
  'elapsed_s',
  'participant_id',
  'participant',
  ...EMOTIONS,
  'dominant',
] as const;
export const JSON_FORMAT = 'moodlens-session';
export const JSON_VERSION = 1;
/** Probabilities are written with this many decimals. */
const DECIMALS = 6;

/** Quotes a CSV field when needed; defuses spreadsheet formulas in page-provided text. */
function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function sessionToCsv(data: SessionData): string {
  const names = new Map(data.meta.participants.map((p) => [p.id, p.name]));
  const rows: { t: number; line: string }[] = [];
  for (const tl of data.timelines) {
    const name = names.get(tl.participantId) ?? tl.participantId;
    tl.t.forEach((t, i) => {
      const p = tl.p[i] ?? [];
      rows.push({
        t,
        line: [
          new Date(t).toISOString(),
          ((t - data.meta.startedAt) / 1000).toFixed(3),
          field(tl.participantId),
          field(name),
          ...EMOTIONS.map((_, k) => (p[k] ?? 0).toFixed(DECIMALS)),
          dominantOf(p).emotion,
        ].join(','),
      });
    });
  }
  rows.sort((a, b) => a.t - b.t);
  return [CSV_COLUMNS.join(','), ...rows.map((r) => r.line)].join('\r\n') + '\r\n';
}

/** Reads a CSV export back into timelines and participant names. */
export function parseSessionCsv(text: string): { names: Map<string, string>; timelines: Timeline[] } {
  const [header, ...rows] = parseCsv(text);
  if (header?.join(',') !== CSV_COLUMNS.join(','))
    throw new Error(`not a MoodLens CSV export: the header must be ${CSV_COLUMNS.join(',')}`);
  const names = new Map<string, string>();
  const byId = new Map<string, Timeline>();
  const unquote = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);
  rows.forEach((r, i) => {
    if (r.length !== CSV_COLUMNS.length)
      throw new Error(`row ${i + 2} has ${r.length} fields, not ${CSV_COLUMNS.length}`);
    const id = unquote(r[2] as string);
    names.set(id, unquote(r[3] as string));
    let tl = byId.get(id);
    if (!tl) byId.set(id, (tl = { participantId: id, t: [], p: [] }));
    tl.t.push(Date.parse(r[0] as string));
    tl.p.push(r.slice(4, 11).map(Number));
  });
  return { names, timelines: [...byId.values()] };
}

export function sessionToJson(data: SessionData): string {
  return JSON.stringify({ format: JSON_FORMAT, version: JSON_VERSION, ...data });
}

export function parseSessionJson(text: string): SessionData {
  const x = JSON.parse(text) as Partial<SessionData> & { format?: unknown; version?: unknown };
  if (x.format !== JSON_FORMAT) throw new Error('not a MoodLens session export');
  if (x.version !== JSON_VERSION) throw new Error(`unsupported MoodLens export version ${String(x.version)}`);
  if (!x.meta || !Array.isArray(x.timelines)) throw new Error('the export has no session or timelines');
  return { meta: x.meta, timelines: x.timelines };
}

/** File name for an export: moodlens-<origin host>-<start, UTC>.<ext>. */
export function exportFileName(data: SessionData, ext: 'csv' | 'json'): string {
  let host = 'session';
  try {
    host = new URL(data.meta.origin).hostname || host;
  } catch {
    // a file: page or an odd origin keeps the default
  }
  const stamp = new Date(data.meta.startedAt).toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return `moodlens-${host.replace(/[^a-z0-9.-]/gi, '_')}-${stamp}.${ext}`;
}
