/**
 * A site adapter reads, for a video tile of one meeting client, the participant's name as the
 * page shows it and, where the page has one, a stable participant key (so identity follows the
 * participant when the grid reflows or the client re-creates the <video>). One small file per
 * site: a change on one site touches one file. Structures are from public code; each adapter
 * names its sources, and tests/fixtures/sites/ holds a trimmed DOM for each.
 */
export interface SiteAdapter {
  id: string;
  /** Hostnames this adapter reads. */
  matches(hostname: string): boolean;
  /** The name shown on the video's tile, or undefined when this adapter does not find one. */
  nameOf(video: HTMLElement): string | undefined;
  /** A stable id of the participant behind the video (not a name), when the page exposes one. */
  keyOf?(video: HTMLElement): string | undefined;
}

const MAX_NAME = 60;

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;

/**
 * Whitespace folded, trimmed; undefined when empty, implausibly long for a name, or holding an
 * e-mail address (some clients label tiles with one: it is not kept in a session).
 */
export function cleanName(text: string | null | undefined): string | undefined {
  const t = text?.replace(/\s+/g, ' ').trim();
  return t && t.length <= MAX_NAME && !EMAIL.test(t) ? t : undefined;
}

/** The first non-empty name among the candidates. */
export function firstName(...candidates: (string | null | undefined)[]): string | undefined {
  for (const c of candidates) {
    const n = cleanName(c);
    if (n) return n;
  }
  return undefined;
}
