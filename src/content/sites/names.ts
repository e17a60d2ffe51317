/**
 * The name rule every adapter and the generic rule share: text from a meeting page is kept as a
 * participant's name only if it looks like one. Junk seen in the DOM of real clients (collected
 * from the public sources each adapter cites; names.test.ts lists them) is refused, so a tile
 * without a readable name says "Participant N" rather than "video is on" or "more_vert".
 */

const MAX_CHARS = 60;
const MAX_WORDS = 7;
/** Raw text longer than this is never read (a container's whole text, not a label). */
const MAX_RAW = 400;

/**
 * Qualifiers clients append to a name, dropped wherever they are found: Jitsi's local " (me)"
 * (display-name/functions.ts appendSuffix), Whereby's "Guest (you)" and " (is recording)",
 * Teams' "(Guest)", "(Unverified)", "(External)" (Meeting-BaaS participant-name.ts, Vexa
 * msteams-speakers.ts), Zoom's "(Host)", "(Co-host)", "(me)" (Meeting-BaaS zoom speakersObserver).
 */
const BRACKETED_SUFFIX =
  /\s*\((?:me|you|guest|host|co-host|cohost|external|extern|unverified|unfamiliar|is recording|bot)\)\s*$/i;

/**
 * Account badges Teams writes as bare words after the name in a tile's aria-label ("Amr El Shimy
 * External unfamiliar, video is on, …"): stripped only from an aria-label clause, never from a
 * nametag, where they could be part of the name itself (Meeting-BaaS participant-name.test.ts).
 */
const BARE_BADGE = /\s+(?:external|extern|unfamiliar|unverified|guest)$/i;

/**
 * Placeholders clients show for someone without a name (compared lower-cased, suffixes gone).
 * "You" is not one: on a self tile it does say who the person is (the demo call's own tile).
 */
const PLACEHOLDERS = new Set([
  // Jitsi interface_config.js DEFAULT_REMOTE_DISPLAY_NAME / DEFAULT_LOCAL_DISPLAY_NAME and values
  // deployments set them to
  'fellow jitster',
  'me',
  'user',
  'loading',
  // Whereby (its WebRtcVideo "Guest" / "Guest (you)", whereby/sdk room.ts "Guest", "Your screenshare")
  'guest',
  'your screenshare',
  // Teams placeholders (Vexa msteams-speakers.ts TEAMS_PLACEHOLDER_NAMES)
  'unknown',
  'unknown user',
  'unknown participant',
  'guest user',
  'anonymous',
  'anonymous user',
  'participant',
  'unidentified',
  'unbekannter benutzer',
  'unbekannter teilnehmer',
  'gast',
  'utilisateur inconnu',
  'invité',
  'usuario desconocido',
  'invitado',
  'utente sconosciuto',
  'ospite',
  'гость',
  'участник',
  'неизвестный пользователь',
  // generic
  'no name',
  'speaker',
]);

/** "Participant 3", "Speaker A", "Guest 2", "Google Participant (spaces/…)": numbered placeholders. */
const NUMBERED_PLACEHOLDER =
  /^(?:participant|speaker|guest|user|google participant)\s*(?:\d{1,4}|[a-z]|\(.*\))$/i;

/**
 * Sentences of state and control labels found in tiles: Teams aria-labels ("video is on",
 * "muted", "Context menu is available", "Content shared by …", "left the meeting", "Leaving…"),
 * Meet's tile text (Vexa gmeet-speakers.ts JUNK_PHRASES, attendee's "More options"), Zoom's footer
 * while connecting, Whereby's tile banners ("Connection interrupted", "Trying to reconnect...",
 * "Poor connection", "Switch camera", "Is recording"), Jitsi's pin button ("Pin …").
 */
const STATE_PHRASE = new RegExp(
  [
    String.raw`\bvideo is (?:on|off)\b`,
    String.raw`\bcamera (?:is )?(?:on|off)\b`,
    String.raw`\bmic(?:rophone)? (?:is )?(?:on|off)\b`,
    String.raw`\b(?:un)?muted\b`,
    String.raw`\bcontext menu\b`,
    String.raw`\bis available\b`,
    String.raw`\bcontent shared by\b`,
    String.raw`\bshared (?:screen|content)\b`,
    String.raw`\bis (?:speaking|presenting|recording|sharing)\b`,
    String.raw`\bleft the meeting\b`,
    String.raw`^leaving\b`,
    String.raw`\bjoined\b`,
    String.raw`\bconnecting\b`,
    String.raw`\bconnection\b`,
    String.raw`\breconnect`,
    String.raw`\bswitch camera\b`,
    String.raw`\bmore (?:options|actions)\b`,
    String.raw`\bunpin\b|\bpinned\b`,
    String.raw`\braised? (?:hand|her hand|his hand|their hand)\b`,
    String.raw`\bhand (?:is )?raised\b`,
    String.raw`\bturn (?:on|off)\b`,
    String.raw`\blet participants\b`,
    String.raw`\bsend messages\b`,
    String.raw`\bcaptions\b`,
    String.raw`\bscreen ?share\b`,
    String.raw`\bpresentation\b`,
    String.raw`\bmain screen\b`,
    String.raw`\byour (?:video|camera|microphone)\b`,
  ].join('|'),
  'i',
);

/** Material icon ligatures left as text in tiles (Meet, Teams): keep_outline, more_vert, mic_off. */
const ICON_LIGATURE = /^[a-z]+(?:_[a-z]+)+$/;
const ICON_WORDS = new Set([
  'keep',
  'keep_off',
  'more_vert',
  'more_horiz',
  'mic',
  'mic_off',
  'mic_none',
  'videocam',
  'videocam_off',
  'frame_person',
  'visibility_off',
  'close',
  'devices',
  'present_to_all',
  'back_hand',
  'pan_tool',
  'push_pin',
  'fullscreen',
  'expand_more',
  'spotlight',
  'mute',
  'unmute',
  'camera',
  'microphone',
]);

/**
 * Machine identifiers clients keep in attributes (Vexa msteams-speakers.ts TEAMS_MACHINE_TOKEN):
 * lower-case chains ("video-stream", "voice-level-stream-outline"), camelCase ("videoTile"),
 * generated ids ("menur1j"), digit runs. A name is none of these.
 */
const MACHINE_TOKEN =
  /^(?:[a-z0-9]+(?:[-_][a-z0-9]+)+|[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+|[a-z]+\d[a-z0-9]*|\d+)$/;

/** A clock reading ("10:42", "05:14 elapsed") is never a name (Vexa TEAMS_CLOCK_PREFIX). */
const CLOCK = /^\d{1,2}:\d{2}/;

const HAS_LETTER = /\p{L}/u;

/** Whitespace folded and every known suffix peeled ("Bob (Guest) (Unverified)" -> "Bob"). */
function stripSuffixes(text: string): string {
  let t = text.replace(/\s+/g, ' ').trim();
  for (let prev = ''; prev !== t;) {
    prev = t;
    t = t.replace(BRACKETED_SUFFIX, '').trim();
  }
  return t;
}

/** Whether already-stripped text reads as a person's name (see the lists above). */
export function looksLikeName(t: string): boolean {
  if (!t || t.length > MAX_CHARS || !HAS_LETTER.test(t)) return false;
  if (t.split(' ').length > MAX_WORDS) return false;
  // e-mail addresses, URLs, device paths ("spaces/…/devices/…")
  if (/[@/\\<>{}|]|https?:|www\./i.test(t)) return false;
  const lower = t.toLowerCase();
  if (PLACEHOLDERS.has(lower) || NUMBERED_PLACEHOLDER.test(t)) return false;
  if (ICON_WORDS.has(lower) || ICON_LIGATURE.test(t) || MACHINE_TOKEN.test(t)) return false;
  if (CLOCK.test(t) || STATE_PHRASE.test(t)) return false;
  // a sentence: several clauses, or ending like one
  if ((t.match(/[,;]/g)?.length ?? 0) > 1 || /(?:\.\.\.|[…!?])$/.test(t)) return false;
  return true;
}

/**
 * The name in a piece of page text, or undefined when the text is not a name: whitespace folded,
 * the suffixes above peeled, then the name rule applied.
 */
export function cleanName(text: string | null | undefined): string | undefined {
  if (!text || text.length > MAX_RAW) return undefined;
  const t = stripSuffixes(text);
  return looksLikeName(t) ? t : undefined;
}

/**
 * The name an aria-label sentence starts with ("Amr El Shimy External unfamiliar, video is on,
 * Context menu is available" -> "Amr El Shimy"): its first clause, bare account badges stripped,
 * then the name rule. Never the whole sentence.
 */
export function labelName(label: string | null | undefined): string | undefined {
  if (!label || label.length > MAX_RAW) return undefined;
  let clause = stripSuffixes(label.split(',')[0] ?? '');
  for (let prev = ''; prev !== clause;) {
    prev = clause;
    const stripped = clause.replace(BARE_BADGE, '').trim();
    if (stripped) clause = stripSuffixes(stripped);
  }
  return cleanName(clause);
}

/** The first candidate that is a name. */
export function firstName(...candidates: (string | null | undefined)[]): string | undefined {
  for (const c of candidates) {
    const n = cleanName(c);
    if (n) return n;
  }
  return undefined;
}
