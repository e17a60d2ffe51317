/**
 * The one message protocol of the extension. Each name reads `<from>><to>:<what>`; the map gives
 * its request and response types. `send()` and every context's handler map are derived from this
 * map, so a handler cannot answer with another type than its callers expect.
 */
/** tfjs back ends, in the order they are tried. */
export const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export type Context = 'popup' | 'bg' | 'content' | 'offscreen';

/** Why a page cannot be analysed, in words the popup shows as they are. */
export type Unscriptable = { scriptable: false; reason: string };

export interface TabStatus {
  tabId: number;
  /** False for browser pages, the web stores and pages the extension may not script. */
  scriptable: boolean;
  reason?: string;
  /** Analysis switched on for this tab. */
  enabled: boolean;
  /** Analysable videos on the page (visible, at least 64 px). */
  videos: number;
  /** All <video> elements, analysable or not. */
  videosSeen: number;
}

/** What a content script reports of its page. It is the source of truth for `enabled`. */
export interface VideoReport {
  videos: number;
  videosSeen: number;
  enabled: boolean;
  url: string;
}

export interface EnginePong {
  host: 'offscreen' | 'background';
  /** Milliseconds since the engine host started. */
  uptimeMs: number;
}

/** The engine host's state, as the popup shows it. */
export interface EngineStatus {
  state: 'idle' | 'loading' | 'ready' | 'error';
  /** tfjs back end in use, and why it was chosen. */
  backend?: BackendName;
  backendReason?: string;
  /** The user's back-end choice from the settings; absent: automatic. */
  override?: BackendName | undefined;
  /** The face detector in use, and why that delegate. */
  detector?: string;
  detectorReason?: string;
  probes?: { name: string; ok: boolean; ms?: number | undefined; error?: string | undefined }[];
  /** Back ends that broke during this session (a lost WebGPU device...), and how often it moved on. */
  failedBackends?: { name: BackendName; error: string }[];
  recoveries?: number;
  model?: { params: number; macsPerFace: number };
  error?: string;
}

/** A sampled video frame on the JSON message path (JPEG data URL; ImageBitmap transport is issue 5's). */
export interface FrameMessage {
  sourceId: string;
  timestamp: number;
  jpeg: string;
}

/** What the engine found in a frame (src/engine/types.ts FrameResult), or why it did not look. */
export type FrameReply =
  | {
      kind: 'result';
      sourceId: string;
      timestamp: number;
      width: number;
      height: number;
      faces: {
        trackId: number;
        box: { x: number; y: number; width: number; height: number };
        probabilities: number[];
        dominant: string;
        confidence: number;
      }[];
      timings: { detectMs: number; cropMs: number; classifyMs: number; totalMs: number };
    }
  | { kind: 'dropped'; sourceId: string; timestamp: number }
  | { kind: 'unavailable'; reason: string };

export interface FacesClassified {
  probabilities: number[][];
  backend: BackendName | undefined;
}

export interface ProtocolMap {
  'popup>bg:getTabStatus': { request: { tabId: number }; response: TabStatus };
  'popup>bg:setEnabled': { request: { tabId: number; enabled: boolean }; response: TabStatus };
  'popup>bg:pingEngine': { request: Record<string, never>; response: EnginePong };
  'popup>bg:engineStatus': { request: { start: boolean }; response: EngineStatus };
  'popup>bg:setBackend': { request: { backend: BackendName | 'auto' }; response: EngineStatus };
  /** Development builds only: probabilities for 48x48 grey faces (bytes), to test the packaged model. */
  'popup>bg:classifyFaces': { request: { faces: number[][] }; response: FacesClassified };
  'content>bg:hello': { request: VideoReport; response: { enabled: boolean } };
  'content>bg:videosChanged': { request: VideoReport; response: { ok: true } };
  'content>bg:frame': { request: FrameMessage; response: FrameReply };
  'content>bg:sourcesGone': { request: { sourceIds: string[] }; response: { ok: true } };
  'bg>content:setEnabled': { request: { enabled: boolean }; response: VideoReport };
  'bg>content:getReport': { request: Record<string, never>; response: VideoReport };
  'bg>offscreen:ping': { request: Record<string, never>; response: EnginePong };
  'bg>offscreen:engineStatus': { request: { start: boolean }; response: EngineStatus };
  'bg>offscreen:frame': { request: FrameMessage; response: FrameReply };
  'bg>offscreen:configure': { request: { backend: BackendName | undefined }; response: EngineStatus };
  'bg>offscreen:forget': { request: { sourceIds: string[] }; response: { ok: true } };
  'bg>offscreen:classifyFaces': { request: { faces: number[][] }; response: FacesClassified };
}

export type MessageName = keyof ProtocolMap;
export type RequestOf<K extends MessageName> = ProtocolMap[K]['request'];
export type ResponseOf<K extends MessageName> = ProtocolMap[K]['response'];
/** The names a context receives. */
export type MessagesTo<C extends Context> = Extract<MessageName, `${string}>${C}:${string}`>;

export const MESSAGE_NAMES = [
  'popup>bg:getTabStatus',
  'popup>bg:setEnabled',
  'popup>bg:pingEngine',
  'popup>bg:engineStatus',
  'popup>bg:setBackend',
  'popup>bg:classifyFaces',
  'content>bg:hello',
  'content>bg:videosChanged',
  'content>bg:frame',
  'content>bg:sourcesGone',
  'bg>content:setEnabled',
  'bg>content:getReport',
  'bg>offscreen:ping',
  'bg>offscreen:engineStatus',
  'bg>offscreen:frame',
  'bg>offscreen:configure',
  'bg>offscreen:forget',
  'bg>offscreen:classifyFaces',
] as const satisfies readonly MessageName[];

// Compile-time check that MESSAGE_NAMES lists every name of the map.
type Missing = Exclude<MessageName, (typeof MESSAGE_NAMES)[number]>;
export const EVERY_NAME_LISTED: [Missing] extends [never] ? true : Missing = true;
