import { send } from '../shared/messaging';
import { hasOffscreen, toRuntime } from '../shared/platform';
import type { EnginePong } from '../shared/protocol';
import { ensureOffscreenDocument } from './offscreen-document';

const startedAt = performance.now();

/**
 * Where the engine runs: Chrome's offscreen document, or (Firefox, whose MV3 background is an
 * event page with a DOM) the background page itself.
 */
export async function pingEngine(): Promise<EnginePong> {
  // The build constant lets the Firefox bundle drop the offscreen code altogether.
  if (__MOODLENS_TARGET__ === 'firefox' || !hasOffscreen()) {
    return { host: 'background', uptimeMs: performance.now() - startedAt };
  }
  await ensureOffscreenDocument();
  return send(toRuntime, 'bg>offscreen:ping', {});
}
