// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterFor, participantOf } from './index';

function load(site: string): HTMLVideoElement[] {
  document.body.innerHTML = readFileSync(
    resolve(import.meta.dirname, `../../../tests/fixtures/sites/${site}.html`),
    'utf8',
  );
  return [...document.querySelectorAll('video')];
}
afterEach(() => {
  document.body.innerHTML = '';
});

const read = (videos: HTMLVideoElement[], host: string) =>
  videos.map((v) => {
    const p = participantOf(v, host);
    return [p.name, p.key];
  });

describe('site adapters, each against its trimmed DOM fixture', () => {
  it('picks the adapter by host name', () => {
    expect(adapterFor('meet.google.com')?.id).toBe('meet');
    expect(adapterFor('teams.microsoft.com')?.id).toBe('teams');
    expect(adapterFor('teams.live.com')?.id).toBe('teams');
    expect(adapterFor('meet.jit.si')?.id).toBe('jitsi');
    expect(adapterFor('whereby.com')?.id).toBe('whereby');
    expect(adapterFor('app.zoom.us')?.id).toBe('zoom');
    expect(adapterFor('example.com')).toBeUndefined();
  });

  it('Jitsi Meet: the display name of each thumbnail, the endpoint id as key; the stage video has none', () => {
    expect(read(load('jitsi'), 'meet.jit.si')).toEqual([
      [undefined, undefined],
      ['Ana (me)', 'jitsi:local'],
      ['Bruno Díaz', 'jitsi:5a1b2c3d'],
      ['Chloé', 'jitsi:9f8e7d6c'],
    ]);
  });

  it('Google Meet: the tile’s name text (not data-self-name’s value), the participant id as key, no device ids as names', () => {
    expect(read(load('meet'), 'meet.google.com')).toEqual([
      ['Dana Me', 'meet:spaces/AbC/devices/11111111-aaaa'],
      ['Eitan Levi', 'meet:spaces/AbC/devices/22222222-bbbb'],
      [undefined, 'meet:spaces/AbC/devices/33333333-cccc'],
    ]);
  });

  it('Microsoft Teams: the nametag, else the aria-label without badges; never an e-mail address', () => {
    expect(read(load('teams'), 'teams.microsoft.com')).toEqual([
      ['Farah Khan', undefined],
      ['Gus Olsen', undefined],
      [undefined, undefined],
      ['Ines Moreau', undefined],
    ]);
  });

  it('Whereby: the name banner (the local tile’s editable field), the overflow cell’s title, the client id as key', () => {
    expect(read(load('whereby'), 'whereby.com')).toEqual([
      ['Jonas', 'whereby:local'],
      ['Keiko Sato', 'whereby:c0ffee-42'],
      ['Lars', 'whereby:beef-7'],
    ]);
  });

  it('Zoom: the avatar footer, else the avatar name, else the avatar picture’s alt text', () => {
    expect(read(load('zoom'), 'app.zoom.us')).toEqual([
      ['Maya Rossi', undefined],
      ['Nils', undefined],
      ['Olu Ade', undefined],
    ]);
  });

  it('falls back to the generic rule: a figcaption, an aria-label, a data-participant', () => {
    document.body.innerHTML = `
      <figure data-participant="Marie Curie"><video></video><figcaption>Marie Curie</figcaption></figure>
      <div aria-label="Stream by Quinn"><div><video></video></div></div>
      <section><video></video></section>`;
    expect(read([...document.querySelectorAll('video')], 'example.com')).toEqual([
      ['Marie Curie', undefined],
      ['Stream by Quinn', undefined],
      [undefined, undefined],
    ]);
    // a site adapter that finds nothing leaves the generic rule to answer
    document.body.innerHTML = `<figure><video></video><figcaption>Rosa</figcaption></figure>`;
    expect(participantOf(document.querySelector('video') as HTMLVideoElement, 'meet.google.com')).toEqual({
      name: 'Rosa',
      key: undefined,
      via: 'generic',
    });
  });
});
