/**
 * A site adapter reads, for a video tile of one meeting client, the participant's name as the
 * page shows it and, where the page has one, a stable participant key (so identity follows the
 * participant when the grid reflows or the client re-creates the <video>). One small file per
 * site: a change on one site touches one file. Structures are from public code; each adapter
 * names its sources (repository and path), and tests/fixtures/sites/ holds a DOM built from them.
 *
 * The element asked about is a <video> or, in tab-capture mode and on Zoom, a <canvas> (possibly
 * inside an open shadow root). Everything read from the page is hostile until it passes the name
 * rule (names.ts) or the key check below.
 */
export interface SiteAdapter {
  id: string;
  /**
   * Whether this adapter reads the page: by host name, or by the page's own DOM for clients that
   * run on any host (Jitsi Meet is self-hosted and embedded everywhere).
   */
  matches(hostname: string, doc?: Document): boolean;
  /** The name shown on the element's tile, or undefined when this adapter does not find one. */
  nameOf(el: HTMLElement): string | undefined;
  /** A stable id of the participant behind the element (not a name), when the page exposes one. */
  keyOf?(el: HTMLElement): string | undefined;
}

/** A participant id as a site writes it, or undefined when it is not a plausible id. */
export function siteKey(site: string, id: string | null | undefined): string | undefined {
  const v = id?.trim();
  return v && /^[\w:/.@-]{1,128}$/.test(v) ? `${site}:${v}` : undefined;
}
