/**
 * Host access for the auto-start sites follows the list: a site taken off the list gives its access
 * back, and access the user takes away in the browser takes the site off the list (the auto-start
 * registration follows the list through storage.onChanged).
 */

/** The parts of the permissions API this module uses. */
export interface HostPermissions {
  contains(permissions: { origins: string[] }): Promise<boolean>;
  remove(permissions: { origins: string[] }): Promise<boolean>;
}

interface Pattern {
  scheme: string;
  host: string;
  path: string;
}

function parse(pattern: string): Pattern | undefined {
  const m = /^(\*|https?|file):\/\/([^/]*)(\/.*)$/.exec(pattern);
  return m ? { scheme: m[1] ?? '', host: m[2] ?? '', path: m[3] ?? '' } : undefined;
}

function hostCovers(general: string, specific: string): boolean {
  if (general === '*' || general === specific) return true;
  if (!general.startsWith('*.')) return false;
  const base = general.slice(2);
  const host = specific.startsWith('*.') ? specific.slice(2) : specific;
  return host === base || host.endsWith(`.${base}`);
}

/** Does every URL that `specific` matches also match `general`? (Unparsable: only itself.) */
function covers(general: string, specific: string): boolean {
  if (general === specific) return true;
  const g = parse(general);
  const s = parse(specific);
  if (!g || !s) return false;
  const schemeOk = g.scheme === s.scheme || (g.scheme === '*' && /^https?$/.test(s.scheme));
  const pathOk = g.path === '/*' || g.path === s.path;
  return schemeOk && pathOk && hostCovers(g.host, s.host);
}

/** Whether two patterns share a site, so that removing one's access could take the other's. */
function overlap(a: string, b: string): boolean {
  return covers(a, b) || covers(b, a);
}

/**
 * The patterns taken off the list whose access may be given back: not one a kept pattern or a
 * host permission of the manifest (which cannot be removed) shares a site with.
 */
export function originsToRevoke(before: string[], after: string[], required: string[]): string[] {
  const needed = [...after, ...required];
  return [...new Set(before)].filter((p) => !after.includes(p) && !needed.some((q) => overlap(p, q)));
}

/** Gives back the access of the sites taken off the list (`now`: the list as stored now). */
export async function revokeRemovedSites(
  before: string[],
  now: string[],
  required: string[],
  permissions: HostPermissions,
): Promise<string[]> {
  // only what is still held: access the user already took away in the browser needs no removing
  const origins = await stillGranted(originsToRevoke(before, now, required), permissions);
  if (origins.length > 0) await permissions.remove({ origins });
  return origins;
}

/** The patterns of `list` whose host access is still held (the others were revoked in the browser). */
export async function stillGranted(list: string[], permissions: HostPermissions): Promise<string[]> {
  const held = await Promise.all(list.map((p) => permissions.contains({ origins: [p] }).catch(() => false)));
  return list.filter((_, i) => held[i]);
}

/** The sites of `after` that `before` (the stored list before a change, unchecked) did not hold. */
export function addedSites(before: unknown, after: string[]): string[] {
  const old = new Set(Array.isArray(before) ? before.filter((p): p is string => typeof p === 'string') : []);
  return after.filter((p) => !old.has(p));
}
