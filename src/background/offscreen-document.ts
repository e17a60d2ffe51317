/**
 * Chrome only: the offscreen document that hosts the engine. Created on demand; exactly one
 * exists (chrome.offscreen allows one per profile); recreated when it is gone (Chrome may close
 * it, or it crashed). It holds the models and their back ends (hundreds of MB): an alarm looks
 * every minute and closes it once no tab has analysed for `ENGINE_IDLE_MIN` minutes.
 */
import { browser } from '../shared/platform';
import { ENGINE_CHOICE_KEY, ENGINE_CHOICE_PARAM, parseEngineChoice } from '../engine/engine-choice';
import { parseWasmThreads, WASM_THREADS_KEY, WASM_THREADS_PARAM } from '../engine/wasm-threads';
import { anyTabEnabled } from './tab-state';

const PATH = 'src/offscreen/index.html';
export const ENGINE_IDLE_ALARM = 'engine-idle';
export const ENGINE_IDLE_MIN = 3;
/** storage.session: since when no tab has analysed (the worker may sleep between alarms). */
const IDLE_SINCE = 'engineIdleSince';
let creating: Promise<void> | undefined;
let initialise: (() => Promise<unknown>) | undefined;

/** Work to do once on each new document before anyone else talks to it (apply the settings). */
export function onOffscreenCreated(work: () => Promise<unknown>): void {
  initialise = work;
}

async function exists(): Promise<boolean> {
  // its URL may carry the remembered choice: one offscreen document per extension, so the type says it
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
  });
  return contexts.length > 0;
}

/**
 * The document's URL: with the engine's choice from the last start and a developer's thread count
 * (wasm-threads.ts), which the page cannot read from storage itself.
 */
async function documentPath(): Promise<string> {
  const stored = await browser.storage.local.get([ENGINE_CHOICE_KEY, WASM_THREADS_KEY]);
  const choice = parseEngineChoice(stored[ENGINE_CHOICE_KEY]);
  const threads = parseWasmThreads(stored[WASM_THREADS_KEY]);
  const params = new URLSearchParams();
  if (choice) params.set(ENGINE_CHOICE_PARAM, JSON.stringify(choice));
  if (threads !== undefined) params.set(WASM_THREADS_PARAM, String(threads));
  return params.size > 0 ? `${PATH}?${params.toString()}` : PATH;
}

export async function ensureOffscreenDocument(): Promise<void> {
  if (await exists()) return;
  creating ??= documentPath()
    .then((url) =>
      chrome.offscreen.createDocument({
        url,
        reasons: [chrome.offscreen.Reason.WORKERS, chrome.offscreen.Reason.USER_MEDIA],
        justification:
          'Runs the on-device face detection and expression models on video frames, and reads the tab’s picture in tab-capture mode.',
      }),
    )
    .catch((error: unknown) => {
      // Another caller won the race: that document is the one we want.
      if (!(error instanceof Error && /single offscreen document/i.test(error.message))) throw error;
    })
    .then(() => browser.alarms.create(ENGINE_IDLE_ALARM, { periodInMinutes: 1 }))
    .then(() => initialise?.())
    .then(() => undefined)
    .finally(() => {
      creating = undefined;
    });
  await creating;
}

/** One look of the idle alarm: whether no tab analyses now, and since when none has. */
export function idleStep(
  analysing: boolean,
  idleSince: number | undefined,
  now: number,
): { idleSince: number | undefined; close: boolean } {
  if (analysing) return { idleSince: undefined, close: false };
  const since = idleSince ?? now;
  return { idleSince: since, close: now - since >= ENGINE_IDLE_MIN * 60_000 };
}

/** The idle alarm: closes the document (and stops looking) after the idle minutes. */
export async function onEngineIdleAlarm(now = Date.now()): Promise<void> {
  const stored = (await browser.storage.session.get(IDLE_SINCE))[IDLE_SINCE];
  const step = idleStep(await anyTabEnabled(), typeof stored === 'number' ? stored : undefined, now);
  if (!step.close) {
    await browser.storage.session.set({ [IDLE_SINCE]: step.idleSince ?? null });
    return;
  }
  await browser.alarms.clear(ENGINE_IDLE_ALARM);
  await browser.storage.session.remove(IDLE_SINCE);
  if (await exists()) await chrome.offscreen.closeDocument();
}
