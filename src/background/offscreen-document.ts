/**
 * Chrome only: the offscreen document that hosts the engine. Created on demand; exactly one
 * exists (chrome.offscreen allows one per profile); recreated when it is gone (Chrome may close
 * it, or it crashed).
 */
const PATH = 'src/offscreen/index.html';
let creating: Promise<void> | undefined;
let initialise: (() => Promise<unknown>) | undefined;

/** Work to do once on each new document before anyone else talks to it (apply the settings). */
export function onOffscreenCreated(work: () => Promise<unknown>): void {
  initialise = work;
}

async function exists(): Promise<boolean> {
  const url = chrome.runtime.getURL(PATH);
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [url],
  });
  return contexts.length > 0;
}

export async function ensureOffscreenDocument(): Promise<void> {
  if (await exists()) return;
  creating ??= chrome.offscreen
    .createDocument({
      url: PATH,
      reasons: [chrome.offscreen.Reason.WORKERS, chrome.offscreen.Reason.USER_MEDIA],
      justification:
        'Runs the on-device face detection and expression models on video frames, and reads the tab’s picture in tab-capture mode.',
    })
    .catch((error: unknown) => {
      // Another caller won the race: that document is the one we want.
      if (!(error instanceof Error && /single offscreen document/i.test(error.message))) throw error;
    })
    .then(() => initialise?.())
    .then(() => undefined)
    .finally(() => {
      creating = undefined;
    });
  await creating;
}

export async function closeOffscreenDocument(): Promise<void> {
  if (await exists()) await chrome.offscreen.closeDocument();
}
