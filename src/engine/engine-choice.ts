/**
 * The engine's choice (tfjs back end, detector delegate) remembered per browser profile, so that the
 * next start loads it without probing. The background keeps it in storage.local (`engineChoice`)
 * and hands it to a new offscreen document in its URL (that page cannot read storage); it is
 * checked here wherever it is read back. A choice made by another browser or version is not used.
 */
import { BACKEND_NAMES, type EngineChoice } from '../shared/protocol';

export const ENGINE_CHOICE_KEY = 'engineChoice';
/** The offscreen document's URL parameter that carries the remembered choice. */
export const ENGINE_CHOICE_PARAM = 'choice';

/** A remembered choice read back from storage or a URL; undefined when it is not one. */
export function parseEngineChoice(value: unknown): EngineChoice | undefined {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { browser, backend, detector } = v as Record<string, unknown>;
  if (typeof browser !== 'string' || browser.length === 0 || browser.length > 500) return undefined;
  if (!(BACKEND_NAMES as readonly unknown[]).includes(backend)) return undefined;
  if (detector !== 'CPU' && detector !== 'GPU') return undefined;
  return { browser, backend: backend as EngineChoice['backend'], detector };
}

/** The remembered choice when it was made by this very browser (name and version); else undefined. */
export function choiceForThisBrowser(
  choice: EngineChoice | undefined,
  userAgent: string,
): EngineChoice | undefined {
  return choice?.browser === userAgent ? choice : undefined;
}
