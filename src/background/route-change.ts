/**
 * What a tab's move from one URL to another means for its analysis (pure; tab-lifecycle.ts acts
 * on it). Within an origin (a single-page app's route change, a hash change) the page goes on and
 * so do its analysis and session; to another origin the session ends. A URL that does not parse
 * has no origin, so any move to or from it counts as a move to another origin.
 */
export type RouteChange = 'unchanged' | 'same-origin' | 'other-origin';

function originOf(url: string): string | undefined {
  try {
    const { origin } = new URL(url);
    // opaque origins (data:, about:blank, file: in some browsers) are all "null": never the same
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** The change from `from` (undefined: the tab had no page MoodLens knew of) to `to`. */
export function routeChange(from: string | undefined, to: string): RouteChange {
  if (from === to) return 'unchanged';
  if (from === undefined) return 'other-origin';
  const origin = originOf(from);
  return origin !== undefined && origin === originOf(to) ? 'same-origin' : 'other-origin';
}

/** Whether the session of a page at `from` goes on at `to`. */
export const sessionGoesOn = (from: string | undefined, to: string): boolean =>
  routeChange(from, to) !== 'other-origin';
