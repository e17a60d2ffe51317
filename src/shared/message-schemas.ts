/**
 * What every message of the protocol may carry, checked at run time by the dispatcher before any
 * handler sees it (src/shared/messaging.ts). The map is complete by type: a new message name
 * without a schema does not compile. Limits are generous for real pages and tight enough that a
 * hostile page cannot make the background store or decode something huge.
 */
import { EMOTIONS } from './emotions';
import {
  BACKEND_NAMES,
  type LiveSamples,
  type LiveWatch,
  type MessageName,
  type RequestOf,
} from './protocol';
import { arr, bool, num, obj, oneOf, optional, SchemaError, str, type Schema } from './schema';

/** A JPEG frame of at most 640 px a side is ~50-150 KB as a data URL; nothing real comes near this. */
export const MAX_JPEG_DATA_URL = 2_000_000;
export const MAX_FACES = 32;
export const MAX_SOURCES = 256;

const none = obj({});
const count = num({ min: 0, max: 100_000, int: true });
const tabId = num({ min: 0, max: Number.MAX_SAFE_INTEGER, int: true });
const timestamp = num({ min: 0 });
/** `v3` from a page, `12:v3` inside the extension, `12:v3/2` for a sub-participant. */
const sourceId = str({ min: 1, max: 64, pattern: /^[\w:./-]+$/ });
const id = str({ min: 1, max: 100 });
/** A participant's name as a tile shows it (src/content/sites keeps at most 60 characters). */
const label = optional(str({ max: 120 }));
const reason = str({ max: 500 });
const rect = obj({
  x: num({ min: -1e6, max: 1e6 }),
  y: num({ min: -1e6, max: 1e6 }),
  width: num({ min: 0, max: 1e6 }),
  height: num({ min: 0, max: 1e6 }),
});
const probability = num({ min: 0, max: 1 });
const backend = oneOf(BACKEND_NAMES);

const jpegDataUrl = str({
  min: 30,
  max: MAX_JPEG_DATA_URL,
  pattern: /^data:image\/jpeg;base64,[A-Za-z0-9+/]+=*$/,
});

const frameMessage = obj({ sourceId, timestamp, jpeg: jpegDataUrl, label });

const frameResult = obj({
  kind: oneOf(['result'] as const),
  sourceId,
  timestamp,
  width: num({ min: 1, max: 16_384 }),
  height: num({ min: 1, max: 16_384 }),
  faces: arr(
    obj({
      trackId: num({ min: 0, int: true }),
      primary: bool,
      box: rect,
      probabilities: arr(probability, { min: EMOTIONS.length, max: EMOTIONS.length }),
      dominant: oneOf(EMOTIONS),
      confidence: probability,
    }),
    { max: MAX_FACES },
  ),
  timings: obj({
    detectMs: num({ min: 0 }),
    cropMs: num({ min: 0 }),
    classifyMs: num({ min: 0 }),
    totalMs: num({ min: 0 }),
  }),
});

const videoReport = obj({
  videos: count,
  videosSeen: count,
  enabled: bool,
  url: str({ max: 8192 }),
  title: optional(str({ max: 1000 })),
  unreadable: optional(count),
  unreadableReason: optional(reason),
  transport: optional(oneOf(['bitmap', 'jpeg'] as const)),
  transportNote: optional(reason),
});

const region = obj({ sourceId, rect, label });
const viewport = obj({
  width: num({ min: 1, max: 100_000 }),
  height: num({ min: 1, max: 100_000 }),
  devicePixelRatio: num({ min: 0.1, max: 16 }),
});
const regions = { regions: arr(region, { max: MAX_SOURCES }), viewport };

/** 48x48 grey faces as bytes (development builds' model check). */
const greyFaces = {
  faces: arr(arr(num({ min: 0, max: 255 }), { min: 48 * 48, max: 48 * 48 }), { max: 256 }),
};

const sessionIds: Schema<string[] | 'all'> = {
  parse: (value, path = '') => (value === 'all' ? 'all' : arr(id, { max: 10_000 }).parse(value, path)),
};

const settings = obj({
  backend: optional(backend),
  smoothingHalfLifeMs: num({ min: 0, max: 60_000 }),
});

export const REQUEST_SCHEMAS: { [K in MessageName]: Schema<RequestOf<K>> } = {
  'popup>bg:getTabStatus': obj({ tabId }),
  'popup>bg:setEnabled': obj({ tabId, enabled: bool }),
  'popup>bg:pingEngine': none,
  'popup>bg:engineStatus': obj({ start: bool }),
  'popup>bg:setBackend': obj({ backend: oneOf([...BACKEND_NAMES, 'auto'] as const) }),
  'popup>bg:live': obj({ tabId }),
  'popup>bg:renameParticipant': obj({ sessionId: id, participantId: sourceId, name: str({ max: 120 }) }),
  'popup>bg:deleteSessions': obj({ sessionIds }),
  'popup>bg:classifyFaces': obj(greyFaces),
  'content>bg:hello': videoReport,
  'content>bg:videosChanged': videoReport,
  'content>bg:frame': frameMessage,
  'content>bg:sourcesGone': obj({ sourceIds: arr(sourceId, { max: MAX_SOURCES }) }),
  'content>bg:regions': obj(regions),
  'content>bg:frameLoaded': none,
  'popup>bg:startCapture': obj({ tabId, streamId: str({ min: 1, max: 500 }) }),
  'popup>bg:stopCapture': obj({ tabId }),
  'bg>content:setCapture': obj({ on: bool }),
  'bg>content:captureResult': frameResult,
  'bg>offscreen:startCapture': obj({ tabId, streamId: str({ min: 1, max: 500 }) }),
  'bg>offscreen:stopCapture': obj({ tabId }),
  'bg>offscreen:regions': obj({ tabId, ...regions }),
  'offscreen>bg:captureResult': obj({ tabId, result: frameResult, label }),
  'offscreen>bg:captureEnded': obj({ tabId, reason }),
  'relay>bg:hello': obj({ token: str({ min: 1, max: 100 }) }),
  'relay>bg:frameResult': obj({ result: frameResult, label }),
  'bg>content:setEnabled': obj({ enabled: bool }),
  'bg>content:getReport': none,
  'bg>offscreen:ping': none,
  'bg>offscreen:engineStatus': obj({ start: bool }),
  'bg>offscreen:frame': frameMessage,
  'bg>offscreen:configure': settings,
  'bg>offscreen:forget': obj({ sourceIds: arr(sourceId, { max: MAX_SOURCES }) }),
  'bg>offscreen:classifyFaces': obj(greyFaces),
};

/** The live port's messages (LIVE_PORT): a page's watch request, the background's samples. */
export const LIVE_WATCH_SCHEMA: Schema<LiveWatch> = obj({ tabId });
export const LIVE_SAMPLES_SCHEMA: Schema<LiveSamples> = obj({
  tabId,
  samples: arr(
    obj({
      participantId: sourceId,
      t: timestamp,
      p: arr(probability, { min: EMOTIONS.length, max: EMOTIONS.length }),
    }),
    { max: MAX_FACES },
  ),
});

/** The request of `name`, checked; throws SchemaError naming the message and the offending field. */
export function parseRequest<K extends MessageName>(name: K, payload: unknown): RequestOf<K> {
  try {
    return REQUEST_SCHEMAS[name].parse(payload);
  } catch (error) {
    if (error instanceof SchemaError) throw new SchemaError(`${name} ${error.path}`.trim(), error.problem);
    throw error;
  }
}
