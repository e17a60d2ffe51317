import { describe, expect, it } from 'vitest';
import { MAX_JPEG_DATA_URL, parseRequest, REQUEST_SCHEMAS } from './message-schemas';
import { MESSAGE_NAMES, type FrameResult, type MessageName, type RequestOf } from './protocol';
import { SchemaError } from './schema';

const jpeg = `data:image/jpeg;base64,${'/9j/4AAQSkZJRgABAQ'.repeat(20)}`;
const result: FrameResult = {
  kind: 'result',
  sourceId: 'v1',
  timestamp: 1_700_000_000_000,
  width: 640,
  height: 360,
  faces: [
    {
      trackId: 1,
      primary: true,
      box: { x: 10, y: 20, width: 100, height: 120 },
      probabilities: [0.1, 0, 0, 0.7, 0.1, 0, 0.1],
      dominant: 'happy',
      confidence: 0.7,
    },
  ],
  timings: { detectMs: 5, cropMs: 1, classifyMs: 9, totalMs: 15 },
};
const report = {
  videos: 4,
  videosSeen: 5,
  enabled: true,
  url: 'https://meet.example/abc',
  title: 'Weekly',
  unreadable: 1,
  unreadableReason: 'protected',
  transport: 'jpeg' as const,
  transportNote: 'the page removed the relay frame; making it again',
};
const regions = {
  regions: [{ sourceId: 'v1', rect: { x: 0, y: 0, width: 320, height: 180 }, label: 'Ada' }],
  viewport: { width: 1280, height: 720, devicePixelRatio: 2 },
};

/** A valid request of every message type, as the extension itself sends them. */
const VALID: { [K in MessageName]: RequestOf<K> } = {
  'popup>bg:getTabStatus': { tabId: 3 },
  'popup>bg:setEnabled': { tabId: 3, enabled: true },
  'popup>bg:pingEngine': {},
  'popup>bg:engineStatus': { start: false },
  'popup>bg:setBackend': { backend: 'wasm' },
  'popup>bg:live': { tabId: 3 },
  'popup>bg:renameParticipant': { sessionId: 's-1', participantId: 'v1/2', name: 'Ada' },
  'popup>bg:deleteSessions': { sessionIds: ['s-1', 's-2'] },
  'popup>bg:classifyFaces': { faces: [new Array<number>(48 * 48).fill(128)] },
  'content>bg:hello': report,
  'content>bg:videosChanged': report,
  'content>bg:frame': { sourceId: 'v1', timestamp: 1_700_000_000_000, jpeg, label: 'Ada' },
  'content>bg:sourcesGone': { sourceIds: ['v1', 'v2'] },
  'content>bg:frameLoaded': {},
  'content>bg:regions': regions,
  'popup>bg:startCapture': { tabId: 3, streamId: 'abc' },
  'popup>bg:stopCapture': { tabId: 3 },
  'bg>content:setCapture': { on: true },
  'bg>content:captureResult': result,
  'bg>offscreen:startCapture': { tabId: 3, streamId: 'abc' },
  'bg>offscreen:stopCapture': { tabId: 3 },
  'bg>offscreen:regions': { tabId: 3, ...regions },
  'offscreen>bg:captureResult': { tabId: 3, result, label: 'Ada' },
  'offscreen>bg:captureEnded': { tabId: 3, reason: 'the tab closed' },
  'relay>bg:hello': { token: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' },
  'relay>bg:frameResult': { result, label: 'Ada' },
  'bg>content:setEnabled': { enabled: false },
  'bg>content:getReport': {},
  'bg>offscreen:ping': {},
  'bg>offscreen:engineStatus': { start: true },
  'bg>offscreen:frame': { sourceId: '3:v1', timestamp: 1_700_000_000_000, jpeg },
  'bg>offscreen:configure': { backend: undefined, smoothingHalfLifeMs: 800 },
  'bg>offscreen:forget': { sourceIds: ['3:v1'] },
  'bg>offscreen:classifyFaces': { faces: [new Array<number>(48 * 48).fill(0)] },
};

type Path = (string | number)[];

/** Every leaf (string, number, boolean) of a value, with its path. */
function leaves(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  if (Array.isArray(value)) return value.slice(0, 3).flatMap((x, i) => leaves(x, [...path, i]));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return value === undefined ? [] : [{ path, value }];
}

/** Every array of a value, with its path. */
function arrays(value: unknown, path: Path = []): { path: Path; value: unknown[] }[] {
  if (Array.isArray(value))
    return [{ path, value }, ...value.slice(0, 1).flatMap((x, i) => arrays(x, [...path, i]))];
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => arrays(v, [...path, k]));
  return [];
}

function withAt(value: unknown, path: Path, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = replacement;
  return copy;
}

const wrongType = (leaf: unknown): unknown => (typeof leaf === 'string' ? 12345 : 'not a ' + typeof leaf);

describe('message schemas', () => {
  it('cover every message of the protocol', () => {
    expect(Object.keys(REQUEST_SCHEMAS).sort()).toEqual([...MESSAGE_NAMES].sort());
  });

  describe.each(MESSAGE_NAMES.map((name) => [name]))('%s', (name) => {
    const valid = VALID[name];

    it('accepts what the extension sends, unchanged', () => {
      expect(parseRequest(name, valid)).toEqual(valid);
    });

    it('refuses what is not an object, and drops keys it does not know', () => {
      for (const bad of [null, undefined, 'x', 42, []])
        expect(() => parseRequest(name, bad)).toThrow(SchemaError);
      const parsed = parseRequest(name, { ...valid, injected: { enabled: true } }) as Record<string, unknown>;
      expect(parsed.injected).toBeUndefined();
    });

    const fields = leaves(valid);
    it.skipIf(fields.length === 0)(
      'refuses every field of the wrong type, naming the message and field',
      () => {
        for (const { path, value } of fields) {
          const bad = withAt(valid, path, wrongType(value));
          expect(() => parseRequest(name, bad), path.join('.')).toThrow(
            new RegExp(`^${name}`.replace(/[>]/g, '.')),
          );
        }
      },
    );

    const numbers = fields.filter((f) => typeof f.value === 'number');
    it.skipIf(numbers.length === 0)('refuses numbers that are not finite', () => {
      for (const { path } of numbers)
        for (const bad of [NaN, Infinity, -Infinity])
          expect(() => parseRequest(name, withAt(valid, path, bad)), `${path.join('.')}=${bad}`).toThrow(
            SchemaError,
          );
    });

    const strings = fields.filter((f) => typeof f.value === 'string');
    it.skipIf(strings.length === 0)('refuses oversized strings', () => {
      for (const { path } of strings)
        expect(
          () => parseRequest(name, withAt(valid, path, 'a'.repeat(MAX_JPEG_DATA_URL + 1))),
          path.join('.'),
        ).toThrow(/length|one of/);
    });

    const lists = arrays(valid);
    it.skipIf(lists.length === 0)('refuses oversized lists', () => {
      for (const { path, value } of lists) {
        const huge = new Array<unknown>(20_000).fill(value[0]);
        expect(() => parseRequest(name, withAt(valid, path, huge)), path.join('.')).toThrow(/items/);
      }
    });
  });

  it('accepts only JPEG data URLs as frames', () => {
    const frame = VALID['content>bg:frame'];
    for (const bad of [
      'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'data:text/html;base64,PGgxPmhpPC9oMT4AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      `https://evil.example/${'a'.repeat(40)}.jpg`,
      `data:image/jpeg;base64,${'A'.repeat(40)}<script>`,
    ])
      expect(() => parseRequest('content>bg:frame', { ...frame, jpeg: bad }), bad).toThrow(/jpeg/);
  });

  it('refuses a frame result whose probabilities are not seven numbers in 0..1', () => {
    const face = result.faces[0];
    const withProbabilities = (probabilities: number[]) => ({
      result: { ...result, faces: [{ ...face, probabilities }] },
    });
    expect(() => parseRequest('relay>bg:frameResult', withProbabilities([0.5, 0.5]))).toThrow(
      /probabilities/,
    );
    expect(() => parseRequest('relay>bg:frameResult', withProbabilities([2, 0, 0, 0, 0, 0, 0]))).toThrow(
      /probabilities\[0\]/,
    );
  });

  it('refuses an unknown expression or a source id that could address another tab', () => {
    const face = result.faces[0];
    expect(() =>
      parseRequest('relay>bg:frameResult', {
        result: { ...result, faces: [{ ...face, dominant: 'bored' }] },
      }),
    ).toThrow(/dominant/);
    expect(() => parseRequest('content>bg:sourcesGone', { sourceIds: ['v1 <img>'] })).toThrow(
      /sourceIds\[0\]/,
    );
  });

  it('leaves an absent optional field absent (nothing is spread into stored state)', () => {
    const untitled: Partial<typeof report> = { ...report };
    delete untitled.title;
    expect(Object.hasOwn(parseRequest('content>bg:hello', untitled), 'title')).toBe(false);
  });
});
