import { send } from '../shared/messaging';
import { toRuntime } from '../shared/platform';
import type { EnginePong, EngineStatus, FrameMessage, FrameReply } from '../shared/protocol';
import { ensureOffscreenDocument } from './offscreen-document';

const startedAt = performance.now();

/**
 * Where the engine runs: Chrome's offscreen document, or (Firefox, whose MV3 background is an
 * event page with a DOM) the background page itself.
 */
export async function pingEngine(): Promise<EnginePong> {
  // A build constant: each bundle keeps only its own branch (Chrome 116+ always has offscreen).
  if (__MOODLENS_TARGET__ === 'firefox') {
    return { host: 'background', uptimeMs: performance.now() - startedAt };
  }
  await ensureOffscreenDocument();
  return send(toRuntime, 'bg>offscreen:ping', {});
}

/** The engine's status, starting it when asked (in the offscreen document, or here in Firefox). */
export async function engineStatus(start: boolean): Promise<EngineStatus> {
  if (__MOODLENS_TARGET__ === 'firefox') {
    const { engineStatus: local } = await import('../engine/extension-host');
    return local(start);
  }
  await ensureOffscreenDocument();
  return send(toRuntime, 'bg>offscreen:engineStatus', { start });
}

/** Sends a frame to the engine (offscreen document in Chrome, this page in Firefox). */
export async function analyzeFrame(frame: FrameMessage): Promise<FrameReply> {
  if (__MOODLENS_TARGET__ === 'firefox') {
    const { analyzeFrame: local } = await import('../engine/extension-host');
    return local(frame);
  }
  await ensureOffscreenDocument();
  return send(toRuntime, 'bg>offscreen:frame', frame);
}
