/**
 * Content script entry: injected by the background (scripting.executeScript) when the user opens
 * the popup or switches analysis on, or registered for the sites where analysis starts
 * automatically. Wires the page session to the extension and cleans up through one AbortSignal.
 */
import { createDispatcher, send } from '../shared/messaging';
import { browser, listen, self, target, toRuntime } from '../shared/platform';
import { DEFAULT_SETTINGS, parseSettings, SETTING_KEYS, type Settings } from '../shared/settings';
import { PageSession } from './page-session';
import { AutoTransport, JpegTransport, RelayTransport } from './transport';

interface Instance {
  abort: () => void;
}
const KEY = '__moodlensContent';
const scope = globalThis as typeof globalThis & { [KEY]?: Instance };

function isContextInvalidated(error: unknown): boolean {
  return error instanceof Error && /context invalidated|Extension context|receiving end/i.test(error.message);
}

/** The tab's top frame; the script also runs in the frames below it (a call embedded in an iframe). */
const isTopFrame = window === window.top;

/**
 * While analysis is on, a frame that loads in this page (an embedded call, a client that builds its
 * call in an iframe) is reported, so that the background runs the content script in it too. Only
 * the browser's own load events count, at most one report per second.
 */
function watchFrameLoads(
  analysing: () => boolean,
  guard: (p: Promise<unknown>) => void,
  signal: AbortSignal,
) {
  let pending: ReturnType<typeof setTimeout> | undefined;
  const report = () => {
    pending = undefined;
    if (analysing() && !signal.aborted) guard(send(toRuntime, 'content>bg:frameLoaded', {}));
  };
  document.addEventListener(
    'load',
    (event) => {
      const frame = event.target instanceof HTMLIFrameElement;
      if (frame && event.isTrusted && analysing() && pending === undefined)
        pending = setTimeout(report, 1000);
    },
    { capture: true, signal },
  );
  signal.addEventListener('abort', () => clearTimeout(pending));
}

function start(): void {
  // A second injection into the same page replaces the first (e.g. after the extension reloads).
  scope[KEY]?.abort();
  const controller = new AbortController();
  const { signal } = controller;
  scope[KEY] = { abort: () => controller.abort() };

  /** The one place where a lost extension context (reload, update, uninstall) is handled. */
  const guard = (promise: Promise<unknown>): void => {
    promise.catch((error: unknown) => {
      if (isContextInvalidated(error) || !browser.runtime.id) controller.abort();
    });
  };

  /** From the background's hello: the secret this page's relay frame shows the background. */
  let relayToken: string | undefined;
  let framePath: Settings['framePath'] = DEFAULT_SETTINGS.framePath;
  const jpeg = new JpegTransport((frame) => send(toRuntime, 'content>bg:frame', frame));
  // use_dynamic_url: framed at this session's dynamic URL, the relay loads at the extension's origin
  const relay = {
    url: browser.runtime.getURL('src/relay/index.html'),
    origin: new URL(browser.runtime.getURL('')).origin,
  };

  const session = new PageSession({
    doc: document,
    signal,
    sourcePrefix: isTopFrame ? '' : `f${crypto.randomUUID().slice(0, 8)}-`,
    report: (report) => guard(send(toRuntime, 'content>bg:videosChanged', report)),
    transport: () => {
      const token = relayToken;
      return new AutoTransport(
        jpeg,
        // Firefox: frames go to the background page as messages (its relay path stalls after a few frames)
        target === 'firefox'
          ? 'Firefox takes frames as messages to its background page'
          : framePath !== 'auto'
            ? 'the JPEG path was chosen in the settings'
            : token === undefined
              ? 'the background has not answered this page yet'
              : () => RelayTransport.connect(document, relay, token),
      );
    },
    forget: (sourceIds) => guard(send(toRuntime, 'content>bg:sourcesGone', { sourceIds })),
    sendRegions: (regions, viewport) => guard(send(toRuntime, 'content>bg:regions', { regions, viewport })),
  });

  // the user's sampling rates, frame path and overlay style, now and whenever they change
  const applySettings = () =>
    guard(
      browser.storage.local.get(SETTING_KEYS).then((stored) => {
        const settings = parseSettings(stored);
        session.configure(settings);
        if (settings.framePath !== framePath) {
          framePath = settings.framePath;
          session.renewTransport();
        }
      }),
    );
  applySettings();
  const onSettings = (_changes: unknown, area: string) => {
    if (area === 'local') applySettings();
  };
  browser.storage.onChanged.addListener(onSettings);
  signal.addEventListener('abort', () => browser.storage.onChanged.removeListener(onSettings));

  const listener = createDispatcher(
    'content',
    {
      'bg>content:setEnabled': ({ enabled }) => {
        session.setEnabled(enabled);
        return session.report();
      },
      'bg>content:getReport': () => session.report(),
      'bg>content:setCapture': ({ on }) => {
        session.setCapture(on);
        return { ok: true };
      },
      'bg>content:captureResult': (result) => {
        session.showCaptureResult(result);
        return { ok: true };
      },
    },
    self,
  );
  const unlisten = listen(listener);
  watchFrameLoads(() => session.isEnabled, guard, signal);
  signal.addEventListener('abort', unlisten);
  // Leaving the page (including the back-forward cache) ends the session. Only the browser's own
  // event counts: a page script can dispatch a synthetic one (isTrusted false) to stop MoodLens.
  addEventListener(
    'pagehide',
    (event) => {
      if (event.isTrusted) controller.abort();
    },
    { signal },
  );

  guard(
    send(toRuntime, 'content>bg:hello', session.report()).then((reply) => {
      relayToken = reply.relayToken;
      // switched on before this answer (the tab's frames are told to follow the top frame): now
      // that the relay secret is here, the bitmap path can be taken
      if (session.isEnabled) session.renewTransport();
      else if (reply.enabled) session.setEnabled(true);
    }),
  );
}

start();
// A page restored from the back-forward cache starts a new session (never on a page's synthetic event).
addEventListener('pageshow', (event) => {
  if (event.isTrusted && event.persisted) start();
});
