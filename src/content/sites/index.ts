/**
 * The participant's name and key for a video or canvas: the site's adapter first, then the
 * generic rule. An adapter that finds nothing, or throws on a page it does not understand, leaves
 * the generic rule to answer; analysis goes on either way.
 */
import { generic } from './generic';
import { jitsi } from './jitsi';
import { meet } from './meet';
import { teams } from './teams';
import type { SiteAdapter } from './types';
import { whereby } from './whereby';
import { zoom } from './zoom';

/** Host-named adapters first; Jitsi last, as it may also recognise a page by its DOM. */
export const SITE_ADAPTERS: readonly SiteAdapter[] = [meet, teams, whereby, zoom, jitsi];

export function adapterFor(hostname: string, doc?: Document): SiteAdapter | undefined {
  return SITE_ADAPTERS.find((a) => a.matches(hostname, doc));
}

export interface Participant {
  name: string | undefined;
  /** A stable key from the site, when it has one; else undefined (the tile identifies it). */
  key: string | undefined;
  /** Which rule found the name. */
  via: string;
}

function ask<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined; // a page the adapter does not understand
  }
}

export function participantOf(el: HTMLElement, hostname: string): Participant {
  const site = adapterFor(hostname, el.ownerDocument);
  const key = site && ask(() => site.keyOf?.(el));
  const name = site && ask(() => site.nameOf(el));
  if (name) return { name, key, via: site.id };
  return { name: ask(() => generic.nameOf(el)), key, via: 'generic' };
}
