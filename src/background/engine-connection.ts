/**
 * The background's connection to the engine, wherever it runs: Chrome's offscreen document
 * (through runtime messages) or, in Firefox, this background page itself.
 */
import { send } from '../shared/messaging';
import { browser, toRuntime } from '../shared/platform';
import { ENGINE_CHOICE_KEY, parseEngineChoice } from '../engine/engine-choice';
import type {
  CaptureRegion,
  CaptureViewport,
  EnginePong,
  EngineStatus,
  FacesClassified,
  FrameMessage,
  FrameReply,
} from '../shared/protocol';
import { ensureOffscreenDocument, onOffscreenCreated } from './offscreen-document';
import { engineSettings } from './settings';

const startedAt = performance.now();

/**
 * Where the engine runs: Chrome's offscreen document, or (Firefox, whose MV3 background is an
 * event page with a DOM) the background page itself. `__MOODLENS_TARGET__` is a build constant:
 * each bundle keeps only its own branch (Chrome 116+ always has offscreen).
 */
async function localEngine() {
  const { packagedEngine } = await import('../engine/packaged-engine');
  const host = packagedEngine(await rememberedChoice());
  // the settings are read once per page life; later changes come through configureEngine()
  if (host.status.state === 'idle') {
    await host.configure(await engineSettings());
    void host.start().then(rememberChoice);
  }
  return host;
}

async function rememberedChoice() {
  return parseEngineChoice((await browser.storage.local.get(ENGINE_CHOICE_KEY))[ENGINE_CHOICE_KEY]);
}

/**
 * Keeps the running engine's choice (back end, detector delegate, browser version) for the next
 * start, which then loads it without probing (src/engine/engine-choice.ts).
 */
async function rememberChoice(status: EngineStatus): Promise<EngineStatus> {
  const choice = status.state === 'ready' ? status.choice : undefined;
  if (choice && JSON.stringify(await rememberedChoice()) !== JSON.stringify(choice))
    await browser.storage.local.set({ [ENGINE_CHOICE_KEY]: choice });
  return status;
}

// The offscreen document cannot read storage: a new one is told the settings before anything else,
// then starts the engine at once (it loads while the page's first frames are on their way).
if (__MOODLENS_TARGET__ !== 'firefox')
  onOffscreenCreated(async () => {
    await send(toRuntime, 'bg>offscreen:configure', await engineSettings());
    void send(toRuntime, 'bg>offscreen:engineStatus', { start: true })
      .then(rememberChoice)
      .catch(() => undefined);
  });

export async function pingEngine(): Promise<EnginePong> {
  if (__MOODLENS_TARGET__ === 'firefox') {
    return { host: 'background', uptimeMs: performance.now() - startedAt };
  }
  await ensureOffscreenDocument();
  return send(toRuntime, 'bg>offscreen:ping', {});
}

/** The engine's status, starting it when asked (in the offscreen document, or here in Firefox). */
export async function engineStatus(start: boolean): Promise<EngineStatus> {
  if (__MOODLENS_TARGET__ === 'firefox') {
    const host = await localEngine();
    return rememberChoice(start ? await host.start() : host.status);
  }
  await ensureOffscreenDocument();
  return rememberChoice(await send(toRuntime, 'bg>offscreen:engineStatus', { start }));
}

/** Applies a changed back-end setting to the running engine (a new engine reads it at start). */
export async function configureEngine(): Promise<EngineStatus> {
  const settings = await engineSettings();
  if (__MOODLENS_TARGET__ === 'firefox') return (await localEngine()).configure(settings);
  await ensureOffscreenDocument();
  return send(toRuntime, 'bg>offscreen:configure', settings);
}

/**
 * Chrome: makes sure the offscreen document exists and listens on the frame channel (relay frames
 * talk to it directly). Firefox has no relay: its frames come here as messages.
 */
export async function openOffscreenEngine(): Promise<void> {
  if (__MOODLENS_TARGET__ === 'firefox')
    throw new Error('Firefox sends frames as messages: there is no relay');
  await ensureOffscreenDocument();
}

/** Sends a frame to the engine (offscreen document in Chrome, this page in Firefox). */
export async function analyzeFrame(frame: FrameMessage): Promise<FrameReply> {
  if (__MOODLENS_TARGET__ === 'firefox') return (await localEngine()).analyzeFrame(frame);
  await ensureOffscreenDocument();
  return send(toRuntime, 'bg>offscreen:frame', frame);
}

/** Videos that went away: the engine drops their tracks now rather than after its idle timeout. */
export async function forgetSources(sourceIds: string[]): Promise<void> {
  if (__MOODLENS_TARGET__ === 'firefox') {
    const host = await localEngine();
    for (const id of sourceIds) host.forgetSource(id);
    return;
  }
  await ensureOffscreenDocument();
  await send(toRuntime, 'bg>offscreen:forget', { sourceIds });
}

/** Development builds only (the browser tests): the packaged model on the engine's back end. */
export async function classifyFaces(faces: number[][]): Promise<FacesClassified> {
  if (!__MOODLENS_DEV__) throw new Error('classifyFaces is only in development builds');
  if (__MOODLENS_TARGET__ === 'firefox') {
    const { classifyFaces: local } = await import('../engine/packaged-engine');
    return local(faces);
  }
  await ensureOffscreenDocument();
  return send(toRuntime, 'bg>offscreen:classifyFaces', { faces });
}

/** Tab-capture mode (Chrome): the offscreen document reads the tab’s picture from this stream id. */
export async function startTabCapture(tabId: number, streamId: string): Promise<void> {
  if (__MOODLENS_TARGET__ === 'firefox')
    throw new Error('Firefox has no tab capture: MoodLens reads the page’s videos');
  await ensureOffscreenDocument();
  await send(toRuntime, 'bg>offscreen:startCapture', { tabId, streamId });
}

/** Ends a tab's capture in the offscreen document (nothing to end in Firefox). */
export async function stopTabCapture(tabId: number): Promise<void> {
  if (__MOODLENS_TARGET__ === 'firefox') return;
  await ensureOffscreenDocument();
  await send(toRuntime, 'bg>offscreen:stopCapture', { tabId });
}

export async function captureRegions(
  tabId: number,
  regions: CaptureRegion[],
  viewport: CaptureViewport,
): Promise<void> {
  if (__MOODLENS_TARGET__ === 'firefox') return;
  await ensureOffscreenDocument();
  await send(toRuntime, 'bg>offscreen:regions', { tabId, regions, viewport });
}
