import { describe, expect, it } from 'vitest';
import { cleanName, labelName } from './names';

/** Text found where a name should be, in the DOM the sources below describe: never a name. */
const JUNK: [string, string][] = [
  // Teams (Meeting-BaaS participant-name.ts, speakersObserver.ts; Vexa msteams-speakers.ts)
  ['video is on', 'Teams aria-label clause'],
  ['muted', 'Teams aria-label clause'],
  ['Context menu is available', 'Teams aria-label clause'],
  ['Content shared by Farah Khan', 'Teams screen-share tile'],
  ['Farah Khan left the meeting', 'Teams classic'],
  ['Leaving...', 'Teams classic'],
  ['menur1j', 'Teams structural data-tid'],
  ['participant-info', 'Teams structural data-tid'],
  ['video-stream-2', 'Teams machine token'],
  ['voice-level-stream-outline', 'Teams machine token'],
  ['videoTile', 'Teams machine token'],
  ['amr@meetingbaas.com', 'Teams data-tid e-mail'],
  ['Unknown user', 'Teams placeholder'],
  ['Unbekannter Benutzer', 'Teams placeholder, German tenant'],
  ['10:42 AM', 'Teams roster timestamp'],
  ['05:14', 'Teams call timer'],
  // Meet (Vexa gmeet-speakers.ts, attendee google_meet_chromedriver_payload.js)
  ['keep_outline', 'Meet icon ligature'],
  ['more_vert', 'Meet icon ligature'],
  ['keep', 'Meet icon ligature (pin)'],
  ['mic_off', 'Meet/Teams icon ligature'],
  ['frame_person', 'Meet icon ligature'],
  ['Google Participant (spaces/AbC/devices/33333333-cccc)', 'Meet device placeholder'],
  ['spaces/AbC/devices/11111111-aaaa', 'Meet participant id'],
  ['Let participants send messages', 'Meet host control'],
  ['Turn on captions', 'Meet control'],
  ['More options for Eitan Levi', 'Meet button label'],
  ['Pin Eitan Levi to your main screen', 'Meet button label'],
  // Jitsi (interface_config.js, display-name/functions.ts)
  ['Fellow Jitster', 'Jitsi default remote name'],
  ['me', 'Jitsi local tile without a name'],
  // Whereby (its WebRtcVideo component; whereby/sdk room.ts)
  ['Guest', 'Whereby placeholder'],
  ['Guest (you)', 'Whereby local placeholder'],
  ['Your screenshare', 'Whereby local screen share'],
  ['Screenshare (Keiko Sato)', 'Whereby screen share'],
  ['Connection interrupted', 'Whereby tile notice'],
  ['Trying to reconnect...', 'Whereby tile notice'],
  ['Poor connection', 'Whereby quality title'],
  ['Switch camera', 'Whereby button'],
  ['Is recording', 'Whereby recording title'],
  // Zoom (a footer before audio joins)
  ['Connecting to audio...', 'Zoom footer'],
  // generic placeholders and shapes
  ['Participant', 'placeholder'],
  ['Participant 3', 'numbered placeholder'],
  ['Speaker A', 'numbered placeholder'],
  ['Unknown', 'placeholder'],
  ['', 'empty'],
  ['   ', 'blank'],
  ['12345', 'digits'],
  ['https://meet.example.com/room', 'URL'],
  ['A name far too long to be a name shown on a video tile of any meeting client', 'too long'],
];

/** Real names, as the sources' fixtures and the world write them: kept, suffixes peeled. */
const NAMES: [string, string][] = [
  ['Farah Khan', 'Farah Khan'],
  ["O'Brien", "O'Brien"],
  ['Anne-Marie', 'Anne-Marie'],
  ['Jean-Luc Picard', 'Jean-Luc Picard'],
  ['李小龙', '李小龙'],
  ['Chloé', 'Chloé'],
  ['Amr Şimi', 'Amr Şimi'],
  ['Владимир Петров', 'Владимир Петров'],
  ['محمد علي', 'محمد علي'],
  ['佐藤 花子', '佐藤 花子'],
  ['José María de la Cruz', 'José María de la Cruz'],
  ['Martin Luther King Jr.', 'Martin Luther King Jr.'],
  ['Bot Unfamiliar', 'Bot Unfamiliar'],
  ['Pinar Yılmaz', 'Pinar Yılmaz'],
  ['Ana (me)', 'Ana'],
  ['Jonas (you)', 'Jonas'],
  ['Bob (Guest)', 'Bob'],
  ['Bob (Guest) (Unverified)', 'Bob'],
  ['Lars (is recording)', 'Lars'],
  ['Maya Rossi (Host)', 'Maya Rossi'],
  ['Priya (Co-host)', 'Priya'],
  ['  Lord   Mason ', 'Lord Mason'],
  ['J', 'J'],
  ['You', 'You'], // a self tile's label (the demo call's own tile) does say who it is
];

describe('the name rule', () => {
  it.each(JUNK)('refuses %j (%s)', (text) => {
    expect(cleanName(text)).toBeUndefined();
    expect(labelName(text)).toBeUndefined();
  });

  it.each(NAMES)('keeps %j as %j', (text, name) => {
    expect(cleanName(text)).toBe(name);
  });

  it('does not read a page’s long text at all (a container’s text, not a label; nothing to backtrack over)', () => {
    const long = `${' '.repeat(100_000)}Ana`;
    expect(cleanName(long)).toBeUndefined();
    expect(labelName(long)).toBeUndefined();
    expect(cleanName(`Ana${' '.repeat(300)}(me)`)).toBe('Ana');
  });

  it('reads an aria-label sentence as its first clause with every trailing badge stripped, never the whole sentence', () => {
    expect(labelName('Amr El Shimy External unfamiliar, video is on, Context menu is available')).toBe(
      'Amr El Shimy',
    );
    expect(labelName('Alice External unfamiliar, video is on, Context menu is available')).toBe('Alice');
    expect(labelName('Marc Unverified, muted')).toBe('Marc');
    expect(labelName('Bob (Guest), video is on')).toBe('Bob');
    expect(labelName('Ines Moreau, muted, video is on')).toBe('Ines Moreau');
    expect(labelName('Guest, video is on')).toBeUndefined();
    expect(labelName('h.ito@example.com, video is on')).toBeUndefined();
    // a nametag is not a sentence: a name that ends like a badge keeps it
    expect(cleanName('Bot Unfamiliar')).toBe('Bot Unfamiliar');
  });
});
