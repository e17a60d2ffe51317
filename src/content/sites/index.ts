/**
 * The participant's name and key for a video: the site's adapter first, then the generic rule.
 */
import { generic } from './generic';
import { jitsi } from './jitsi';
import { meet } from './meet';
import { teams } from './teams';
import type { SiteAdapter } from './types';
import { whereby } from './whereby';
import { zoom } from './zoom';

export const SITE_ADAPTERS: readonly SiteAdapter[] = [meet, teams, jitsi, whereby, zoom];

export function adapterFor(hostname: string): SiteAdapter | undefined {
  return SITE_ADAPTERS.find((a) => a.matches(hostname));
}

export interface Participant {
  name: string | undefined;
  /** A stable key from the site, when it has one; else undefined (the tile identifies it). */
  key: string | undefined;
  /** Which rule found the name. */
  via: string;
}

export function participantOf(video: HTMLElement, hostname: string): Participant {
  const site = adapterFor(hostname);
  const name = site?.nameOf(video);
  if (name) return { name, key: site?.keyOf?.(video), via: site?.id ?? 'generic' };
  return { name: generic.nameOf(video), key: site?.keyOf?.(video), via: 'generic' };
}
