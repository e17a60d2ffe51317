/**
 * The one message protocol of the extension. Each name reads `<from>><to>:<what>`; the map gives
 * its request and response types. `send()` and every context's handler map are derived from this
 * map, so a handler cannot answer with another type than its callers expect.
 */
/** tfjs back ends, in the order they are tried. */
export const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

import type { Emotion } from './emotions';

/**
 * Who talks: the popup (and the report page), the background, the content script, the offscreen
 * document, and the relay (the extension frame a content script puts in the page to pass frames on).
 */
export type Context = 'popup' | 'bg' | 'content' | 'offscreen' | 'relay';

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
  /** Videos MoodLens skips because their frames cannot be read, and why. */
  unreadable?: number;
  unreadableReason?: string | undefined;
  /** Tab-capture mode (Chrome): the engine reads the tab's picture, not the page's videos. */
  capture?: boolean;
  /** How frames reach the engine, and why not as bitmaps (VideoReport), while analysis runs. */
  transport?: FrameTransportName | undefined;
  transportNote?: string | undefined;
  /** Whether this browser offers tab-capture mode (Chrome; Firefox has no tabCapture). */
  captureAvailable?: boolean;
}

/** A tile's place on screen, for tab-capture mode: CSS pixels of the viewport. */
export interface CaptureRegion {
  sourceId: string;
  rect: { x: number; y: number; width: number; height: number };
  label?: string | undefined;
}

/** The viewport the regions are measured in (the captured picture is this, scaled). */
export interface CaptureViewport {
  width: number;
  height: number;
  devicePixelRatio: number;
}

/** What a content script reports of its page. It is the source of truth for `enabled`. */
export interface VideoReport {
  videos: number;
  videosSeen: number;
  enabled: boolean;
  url: string;
  /** The page title (a session's name in the history). */
  title?: string;
  /** Analysable videos whose frames cannot be read, and why in words (the first reason). */
  unreadable?: number;
  unreadableReason?: string | undefined;
  /** How frames reach the engine (see src/content/transport.ts), once the page has sent one. */
  transport?: FrameTransportName | undefined;
  /** Why they do not take the bitmap path, when they do not (the relay broke, the user chose JPEG). */
  transportNote?: string | undefined;
}

/** The frame paths: an ImageBitmap through the relay frame, or a JPEG data URL in a runtime message. */
export type FrameTransportName = 'bitmap' | 'jpeg';

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
  /** Threads of the wasm back end when it runs (1: single-threaded). */
  wasmThreads?: number;
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
  /** How the engine's start went, ms from its start: the model read, the detector, the back end. */
  startup?: { modelMs: number; detectorMs: number; backendMs: number; totalMs: number };
  /** What to remember for the next start in this browser (storage.local `engineChoice`). */
  choice?: EngineChoice;
}

/** The engine's last working choice, remembered per profile so that the next start does not probe. */
export interface EngineChoice {
  /** The browser and its version (navigator.userAgent): a new one probes again. */
  browser: string;
  backend: BackendName;
  detector: 'CPU' | 'GPU';
}

/** A sampled video frame on the JSON message path (JPEG data URL; ImageBitmap transport is issue 5's). */
export interface FrameMessage {
  sourceId: string;
  /** Capture time, ms since the epoch. */
  timestamp: number;
  /** The frame as a JPEG data URL (runtime messages are JSON) ... */
  jpeg?: string;
  /** ... or as a bitmap (the relay path: structured clone over a BroadcastChannel, never JSON). */
  bitmap?: ImageBitmap;
  /** The participant's name as the page shows it on the tile, when it does. */
  label?: string | undefined;
}

/** The live view of a tab for the popup. */
export interface LiveStats {
  sessionId: string | undefined;
  /** The tab's previous session, when none runs now. */
  lastSessionId?: string | undefined;
  faces: {
    participantId: string;
    dominant: Emotion;
    confidence: number;
    probabilities: number[];
    at: number;
  }[];
  /** Frames analysed per second over the last 10 s. */
  fps: number;
  /** Median ms from a frame's capture to its result, over the last 10 s. */
  latencyMs: number | undefined;
  /** Why the last results could not be saved, if they could not. */
  storeError?: string | undefined;
}

/** What the engine found in a frame (src/engine/types.ts FrameResult), or why it did not look. */
export type FrameReply =
  | FrameResult
  | { kind: 'dropped'; sourceId: string; timestamp: number }
  /** The frame is all black (a protected video often plays as black; a camera may be covered). */
  | { kind: 'black'; sourceId: string; timestamp: number }
  | { kind: 'unavailable'; reason: string };

export interface FrameResult {
  kind: 'result';
  sourceId: string;
  timestamp: number;
  width: number;
  height: number;
  faces: FaceReport[];
  timings: { detectMs: number; cropMs: number; classifyMs: number; totalMs: number };
}

/** A face of a FrameResult (inside the engine, src/engine/types.ts adds the detector's keypoints). */
export interface FaceReport {
  trackId: number;
  /**
   * The tile's own participant, decided by the engine with memory (src/engine/primary-track.ts);
   * any other face is a sub-participant (src/shared/participant-id.ts).
   */
  primary: boolean;
  box: { x: number; y: number; width: number; height: number };
  /** Seven probabilities in FER2013 order (smoothed per track when smoothing is on). */
  probabilities: number[];
  dominant: string;
  confidence: number;
}

/** The settings the engine applies (a new engine is told them before its first frame). */
export interface EngineSettings {
  backend: BackendName | undefined;
  /** Per-track smoothing half-life; 0 gives the raw per-frame output. */
  smoothingHalfLifeMs: number;
}

export interface FacesClassified {
  probabilities: number[][];
  backend: BackendName | undefined;
}

/**
 * The live port (src/background/live-feed.ts): an extension page (the side panel) connects with
 * this name, says which tab it watches (LiveWatch), and the background pushes each recorded
 * frame's samples (LiveSamples) as they are stored, so a live view never re-reads the session.
 */
export const LIVE_PORT = 'moodlens:live';

export interface LiveWatch {
  tabId: number;
}

export interface LiveSample {
  participantId: string;
  /** Capture time, ms since the epoch. */
  t: number;
  /** Seven probabilities in FER2013 order. */
  p: number[];
}

export interface LiveSamples {
  tabId: number;
  samples: LiveSample[];
}

export interface ProtocolMap {
  'popup>bg:getTabStatus': { request: { tabId: number }; response: TabStatus };
  'popup>bg:setEnabled': { request: { tabId: number; enabled: boolean }; response: TabStatus };
  'popup>bg:pingEngine': { request: Record<string, never>; response: EnginePong };
  'popup>bg:engineStatus': { request: { start: boolean }; response: EngineStatus };
  'popup>bg:setBackend': { request: { backend: BackendName | 'auto' }; response: EngineStatus };
  'popup>bg:live': { request: { tabId: number }; response: LiveStats };
  'popup>bg:renameParticipant': {
    request: { sessionId: string; participantId: string; name: string };
    response: { ok: true };
  };
  'popup>bg:deleteSessions': { request: { sessionIds: string[] | 'all' }; response: { deleted: number } };
  /** Development builds only: probabilities for 48x48 grey faces (bytes), to test the packaged model. */
  'popup>bg:classifyFaces': { request: { faces: number[][] }; response: FacesClassified };
  /** relayToken: the secret the content script hands its relay frame (the page never sees it). */
  'content>bg:hello': { request: VideoReport; response: { enabled: boolean; relayToken: string } };
  'content>bg:videosChanged': { request: VideoReport; response: { ok: true } };
  'content>bg:frame': { request: FrameMessage; response: FrameReply };
  'content>bg:sourcesGone': { request: { sourceIds: string[] }; response: { ok: true } };
  /** A frame loaded in the page while analysis is on (an embedded call): it gets the content script. */
  'content>bg:frameLoaded': { request: Record<string, never>; response: { ok: true } };
  /** Tab-capture mode: the tiles' places on screen, sent while the mode is on. */
  'content>bg:regions': {
    request: { regions: CaptureRegion[]; viewport: CaptureViewport };
    response: { ok: true };
  };
  /** Tab-capture mode, from the popup (a user gesture): streamId from tabCapture.getMediaStreamId. */
  'popup>bg:startCapture': { request: { tabId: number; streamId: string }; response: TabStatus };
  'popup>bg:stopCapture': { request: { tabId: number }; response: TabStatus };
  'bg>content:setCapture': { request: { on: boolean }; response: { ok: true } };
  'bg>content:captureResult': { request: FrameResult; response: { ok: true } };
  'bg>offscreen:startCapture': { request: { tabId: number; streamId: string }; response: { ok: true } };
  'bg>offscreen:stopCapture': { request: { tabId: number }; response: { ok: true } };
  'bg>offscreen:regions': {
    request: { tabId: number; regions: CaptureRegion[]; viewport: CaptureViewport };
    response: { ok: true };
  };
  /** A tile analysed from the tab's picture; `ended`: the capture stopped (the tab closed, the stream ended). */
  'offscreen>bg:captureResult': {
    request: { tabId: number; result: FrameResult; label?: string | undefined };
    response: { ok: true };
  };
  'offscreen>bg:captureEnded': { request: { tabId: number; reason: string }; response: { ok: true } };
  /** The relay frame proves it was made by this tab's content script; the engine host is started. */
  'relay>bg:hello': { request: { token: string }; response: { tabId: number } };
  /** A result that came through the relay, to be recorded in the tab's session. */
  'relay>bg:frameResult': {
    request: { result: FrameResult; label?: string | undefined };
    response: { ok: true };
  };
  'bg>content:setEnabled': { request: { enabled: boolean }; response: VideoReport };
  'bg>content:getReport': { request: Record<string, never>; response: VideoReport };
  'bg>offscreen:ping': { request: Record<string, never>; response: EnginePong };
  'bg>offscreen:engineStatus': { request: { start: boolean }; response: EngineStatus };
  'bg>offscreen:frame': { request: FrameMessage; response: FrameReply };
  'bg>offscreen:configure': { request: EngineSettings; response: EngineStatus };
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
  'popup>bg:live',
  'popup>bg:renameParticipant',
  'popup>bg:deleteSessions',
  'popup>bg:classifyFaces',
  'content>bg:hello',
  'content>bg:videosChanged',
  'content>bg:frame',
  'content>bg:sourcesGone',
  'content>bg:frameLoaded',
  'relay>bg:hello',
  'relay>bg:frameResult',
  'content>bg:regions',
  'popup>bg:startCapture',
  'popup>bg:stopCapture',
  'bg>content:setCapture',
  'bg>content:captureResult',
  'bg>offscreen:startCapture',
  'bg>offscreen:stopCapture',
  'bg>offscreen:regions',
  'offscreen>bg:captureResult',
  'offscreen>bg:captureEnded',
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
