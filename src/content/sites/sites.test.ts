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

const read = (els: HTMLElement[], host: string) =>
  els.map((v) => {
    const p = participantOf(v, host);
    return [p.name, p.key];
  });

/** Every video replaced by a new element, as clients do when the grid changes: same answers. */
function expectSameAfterReRender(host: string) {
  const before = read([...document.querySelectorAll('video')], host);
  for (const old of document.querySelectorAll('video')) old.replaceWith(document.createElement('video'));
  expect(read([...document.querySelectorAll('video')], host)).toEqual(before);
}

describe('site adapters, each against a DOM fixture built from its public sources', () => {
  it('picks the adapter by host name, and Jitsi also by its DOM on any host', () => {
    expect(adapterFor('meet.google.com')?.id).toBe('meet');
    expect(adapterFor('teams.microsoft.com')?.id).toBe('teams');
    expect(adapterFor('teams.live.com')?.id).toBe('teams');
    expect(adapterFor('meet.jit.si')?.id).toBe('jitsi');
    expect(adapterFor('8x8.vc')?.id).toBe('jitsi');
    expect(adapterFor('whereby.com')?.id).toBe('whereby');
    expect(adapterFor('acme.whereby.com')?.id).toBe('whereby');
    expect(adapterFor('app.zoom.us')?.id).toBe('zoom');
    expect(adapterFor('zoom.us')?.id).toBe('zoom');
    expect(adapterFor('us05web.zoom.us')?.id).toBe('zoom');
    expect(adapterFor('notzoom.us')).toBeUndefined();
    expect(adapterFor('example.com', document)).toBeUndefined();
    load('jitsi');
    expect(adapterFor('meet.example.org', document)?.id).toBe('jitsi');
  });

  describe('Jitsi Meet', () => {
    it('names each thumbnail and the stage, keys by participant id; "(me)" and "Fellow Jitster" are no names', () => {
      expect(read(load('jitsi'), 'video.example.org')).toEqual([
        ['Chloé', undefined], // the large video: the stage badge, no key (it follows the dominant speaker)
        ['Ana', 'jitsi:local'],
        ['Bruno Díaz', 'jitsi:5a1b2c3d'],
        ['Chloé', 'jitsi:9f8e7d6c'],
        [undefined, 'jitsi:0d0e0f10'],
        ['Bruno Díaz', 'jitsi:5a1b2c3d'], // the stage filmstrip's copy of the same participant
      ]);
    });

    it('reads the field while the local user edits the name, and a configured local suffix', () => {
      load('jitsi');
      const local = document.getElementById('localVideo_container') as HTMLVideoElement;
      const name = document.getElementById('localDisplayName') as HTMLElement;
      name.textContent = 'Ana (moi)';
      expect(participantOf(local, 'meet.jit.si').name).toBe('Ana');
      name.textContent = 'me'; // no name set: appendSuffix shows the suffix alone
      expect(participantOf(local, 'meet.jit.si').name).toBeUndefined();
      const input = document.createElement('input');
      input.id = 'editDisplayName';
      input.value = 'Ana Lima';
      name.replaceWith(input);
      expect(participantOf(local, 'meet.jit.si')).toEqual({
        name: 'Ana Lima',
        key: 'jitsi:local',
        via: 'jitsi',
      });
    });

    it('keeps key and name when the videos are re-created', () => {
      load('jitsi');
      expectSameAfterReRender('meet.jit.si');
    });
  });

  describe('Google Meet', () => {
    it('names tiles by span.notranslate (never icon words or device placeholders), keys by participant id', () => {
      expect(read(load('meet'), 'meet.google.com')).toEqual([
        ['Dana Me', 'meet:spaces/AbC/devices/11111111-aaaa'],
        ['Eitan Levi', 'meet:spaces/AbC/devices/22222222-bbbb'],
        [undefined, 'meet:spaces/AbC/devices/33333333-cccc'],
        ['李小龙', 'meet:spaces/AbC/devices/44444444-dddd'],
      ]);
    });

    it('takes data-self-name’s value when only the local tile carries it and shows no name text', () => {
      load('meet');
      const self = document.querySelector('[data-self-name] span.notranslate') as HTMLElement;
      self.textContent = 'more_vert';
      const video = document.querySelector('video') as HTMLVideoElement;
      expect(participantOf(video, 'meet.google.com').name).toBe('Dana Me');
    });

    it('never takes data-self-name for a tile when it is on every tile (older builds), nor needs it', () => {
      document.body.innerHTML = ['a', 'b']
        .map(
          (
            id,
          ) => `<div data-participant-id="${id}"><div data-requested-participant-id="${id}"><video></video></div>
          <div data-self-name="Dana Me"><span class="notranslate">more_vert</span></div></div>`,
        )
        .join('');
      expect(read([...document.querySelectorAll('video')], 'meet.google.com')).toEqual([
        [undefined, 'meet:a'],
        [undefined, 'meet:b'],
      ]);
      for (const m of document.querySelectorAll('[data-self-name]')) m.removeAttribute('data-self-name');
      expect(read([...document.querySelectorAll('video')], 'meet.google.com')).toEqual([
        [undefined, 'meet:a'],
        [undefined, 'meet:b'],
      ]);
    });

    it('keeps key and name when the video block is re-created', () => {
      load('meet');
      const before = read([...document.querySelectorAll('video')], 'meet.google.com');
      for (const block of document.querySelectorAll('[data-requested-participant-id]')) {
        const fresh = block.cloneNode(true) as HTMLElement;
        fresh.querySelector('video')?.replaceWith(document.createElement('video'));
        block.replaceWith(fresh);
      }
      expect(read([...document.querySelectorAll('video')], 'meet.google.com')).toEqual(before);
    });
  });

  describe('Microsoft Teams', () => {
    it('nametag, else a data-tid that is a name, else the first aria-label clause without badges', () => {
      expect(read(load('teams'), 'teams.microsoft.com')).toEqual([
        ['Farah Khan', undefined],
        ['Amr El Shimy', undefined],
        [undefined, undefined],
        ['Bob', undefined],
        [undefined, undefined],
        ['Ines Moreau', undefined],
      ]);
    });

    it('looks past the nearest wrapper, but never into a neighbouring tile', () => {
      document.body.innerHTML = `
        <div data-tid="stage-layout">
          <div role="menuitem" aria-label="Zed Ray, video is on"><div><div><video></video></div></div></div>
          <div role="menuitem"><div><video></video></div></div>
          <div data-tid="participant-info-nametag">Farah Khan</div>
        </div>`;
      expect(read([...document.querySelectorAll('video')], 'teams.live.com')).toEqual([
        ['Zed Ray', undefined],
        [undefined, undefined],
      ]);
    });

    it('keeps the name when the videos are re-created', () => {
      load('teams');
      expectSameAfterReRender('teams.microsoft.com');
    });
  });

  describe('Whereby', () => {
    it('the name banner, the overflow cell’s title without " (is recording)", the client id as key; "Guest" is no name', () => {
      expect(read(load('whereby'), 'whereby.com')).toEqual([
        ['Jonas', 'whereby:3f2a9c1e-local'],
        ['Keiko Sato', 'whereby:c0ffee-42'],
        [undefined, 'whereby:d00d-9'],
        ['Lars', 'whereby:beef-7'],
      ]);
    });

    it('the local tile: the edited value, and "Guest (you)" as no name', () => {
      load('whereby');
      const banner = document.querySelector('.jstest-local-client-video .jstest-displayname') as HTMLElement;
      const local = document.querySelector('.jstest-local-client-video video') as HTMLVideoElement;
      banner.innerHTML = '<span class="editableText-7Qw"><input value="Jonas B" /></span>';
      expect(participantOf(local, 'whereby.com').name).toBe('Jonas B');
      banner.textContent = 'Guest (you)';
      expect(participantOf(local, 'whereby.com').name).toBeUndefined();
    });

    it('keeps key and name when the media node moves to a re-rendered cell', () => {
      load('whereby');
      const before = read([...document.querySelectorAll('video')], 'whereby.com');
      for (const tile of document.querySelectorAll('.jstest-client-video')) {
        const video = tile.querySelector('video') as HTMLVideoElement;
        const fresh = tile.cloneNode(true) as HTMLElement;
        fresh.querySelector('video')?.replaceWith(video);
        tile.replaceWith(fresh);
      }
      expect(read([...document.querySelectorAll('video')], 'whereby.com')).toEqual(before);
    });
  });

  describe('Zoom', () => {
    /** happy-dom has no layout: boxes come from the fixture's data-box. */
    function layOut() {
      for (const el of document.querySelectorAll<HTMLElement>('[data-box]')) {
        const [x = 0, y = 0, w = 0, h = 0] = (el.dataset.box ?? '').split(',').map(Number);
        el.getBoundingClientRect = () => new DOMRect(x, y, w, h);
      }
    }
    const canvasIn = (root: ShadowRoot, box: [number, number, number, number]) => {
      const canvas = document.createElement('canvas');
      canvas.getBoundingClientRect = () => new DOMRect(...box);
      root.append(canvas);
      return canvas;
    };

    it('the footer of the frame around the player, else the frame over its centre; the node-id as key', () => {
      const videos = load('zoom');
      layOut();
      expect(read(videos, 'app.zoom.us')).toEqual([
        ['Maya Rossi', 'zoom:16778240'],
        ['Nils', 'zoom:16779264'],
        ['Olu Ade', 'zoom:16780288'],
        [undefined, 'zoom:16781312'], // "Connecting to audio..."
        ['Priya Nair', 'zoom:16782336'],
      ]);
    });

    it('a canvas in an open shadow root: its player’s key and frame; a canvas shared by a gallery is no one', () => {
      load('zoom');
      layOut();
      const [speaker, gallery] = document.querySelectorAll('video-player-container');
      if (!speaker || !gallery) throw new Error('fixture without both containers');
      for (const v of document.querySelectorAll('video-player video')) v.remove();
      // the speaker view's container draws its one player into a canvas
      const one = canvasIn(speaker.attachShadow({ mode: 'open' }), [0, 0, 800, 450]);
      // the gallery's container draws all three players into one canvas
      const shared = canvasIn(gallery.attachShadow({ mode: 'open' }), [0, 500, 1200, 225]);
      // a player with its own shadow root
      const player = document.querySelector('video-player[node-id="16780288"]') as HTMLElement;
      const own = canvasIn(player.attachShadow({ mode: 'open' }), [400, 500, 400, 225]);
      expect(read([one, shared, own], 'zoom.us')).toEqual([
        ['Maya Rossi', 'zoom:16778240'],
        [undefined, undefined],
        ['Olu Ade', 'zoom:16780288'],
      ]);
    });

    it('keeps key and name when the videos are re-created', () => {
      load('zoom');
      layOut();
      expectSameAfterReRender('app.zoom.us');
    });
  });

  describe('the generic rule', () => {
    it('answers where no adapter applies: a figcaption, an aria-label’s name, a data-participant', () => {
      document.body.innerHTML = `
        <figure data-participant="Marie Curie"><video></video><figcaption>Marie Curie</figcaption></figure>
        <div aria-label="Stream by Quinn"><div><video></video></div></div>
        <div aria-label="Amr El Shimy External unfamiliar, video is on, Context menu is available"><video></video></div>
        <div aria-label="Context menu is available"><video></video></div>
        <section><video></video></section>`;
      expect(read([...document.querySelectorAll('video')], 'example.com')).toEqual([
        ['Marie Curie', undefined],
        ['Stream by Quinn', undefined],
        ['Amr El Shimy', undefined],
        [undefined, undefined],
        [undefined, undefined],
      ]);
    });

    it('answers when a site adapter finds nothing or fails, keeping the site’s key', () => {
      document.body.innerHTML = `<figure><video></video><figcaption>Rosa</figcaption></figure>`;
      const video = document.querySelector('video') as HTMLVideoElement;
      expect(participantOf(video, 'meet.google.com')).toEqual({
        name: 'Rosa',
        key: undefined,
        via: 'generic',
      });
      document.body.innerHTML = `<div data-participant-id="x1"><figure><video></video><figcaption>Rosa</figcaption></figure>
        <span class="notranslate">more_vert</span></div>`;
      expect(participantOf(document.querySelector('video') as HTMLVideoElement, 'meet.google.com')).toEqual({
        name: 'Rosa',
        key: 'meet:x1',
        via: 'generic',
      });
      // a page whose DOM makes an adapter throw: the generic rule still answers
      const zoomVideo = document.createElement('video');
      zoomVideo.getBoundingClientRect = () => {
        throw new Error('hostile page');
      };
      document.body.replaceChildren(zoomVideo);
      zoomVideo.title = 'Rosa';
      expect(participantOf(zoomVideo, 'app.zoom.us')).toEqual({
        name: 'Rosa',
        key: undefined,
        via: 'generic',
      });
    });

    it('never reads a neighbour’s name', () => {
      document.body.innerHTML = `<div aria-label="Quinn"><video></video><div><video></video></div></div>`;
      expect(read([...document.querySelectorAll('video')], 'example.com')).toEqual([
        [undefined, undefined],
        [undefined, undefined],
      ]);
    });
  });
});
