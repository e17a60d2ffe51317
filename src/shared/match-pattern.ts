/** Match patterns (https://developer.chrome.com/docs/extensions/develop/concepts/match-patterns), the subset MoodLens stores. */
/** Does a match pattern of the form scheme://host/* cover `url`? */
export function patternMatches(pattern: string, url: string): boolean {
  const m = /^(\*|https?|file):\/\/([^/]*)(\/.*)$/.exec(pattern);
  if (!m) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const [, scheme, host = '', path = '/*'] = m;
  if (scheme === '*' ? !['http:', 'https:'].includes(u.protocol) : u.protocol !== `${scheme}:`) return false;
  const hostOk =
    host === '*' ||
    host === u.hostname ||
    (host.startsWith('*.') && (u.hostname === host.slice(2) || u.hostname.endsWith(host.slice(1))));
  const pathRe = new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return hostOk && pathRe.test(u.pathname + u.search);
}
