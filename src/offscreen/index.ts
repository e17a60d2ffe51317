/** Offscreen document entry (Chrome): hosts the engine and answers the background. */
import { createDispatcher, send } from '../shared/messaging';
import { TabCapture, type CaptureSink } from './tab-capture';
import { analyzeFrame, classifyFaces, engineStatus, packagedEngine } from '../engine/packaged-engine';
import { serveFrames } from '../shared/frame-channel';
import { listen, self, toRuntime } from '../shared/platform';
import { ENGINE_CHOICE_PARAM, parseEngineChoice } from '../engine/engine-choice';
import { parseWasmThreads, WASM_THREADS_PARAM } from '../engine/wasm-threads';

const startedAt = performance.now();

// the choice that worked at the last start, from this document's URL (it cannot read storage)
const params = new URLSearchParams(location.search);
packagedEngine(
  parseEngineChoice(params.get(ENGINE_CHOICE_PARAM)),
  parseWasmThreads(params.get(WASM_THREADS_PARAM)),
);

/** Tab captures running here, by tab. */
const captures = new Map<number, TabCapture>();
const captureSink: CaptureSink = {
  analyze: analyzeFrame,
  result: (tabId, result, label) =>
    void send(toRuntime, 'offscreen>bg:captureResult', { tabId, result, label }).catch(() => undefined),
  ended: (tabId, reason) => {
    captures.delete(tabId);
    void send(toRuntime, 'offscreen>bg:captureEnded', { tabId, reason }).catch(() => undefined);
  },
};

// relay frames send their bitmaps here directly (src/shared/frame-channel.ts)
serveFrames(analyzeFrame);

listen(
  createDispatcher(
    'offscreen',
    {
      'bg>offscreen:ping': () => ({ host: 'offscreen', uptimeMs: performance.now() - startedAt }),
      'bg>offscreen:engineStatus': ({ start }) => engineStatus(start),
      'bg>offscreen:frame': (frame) => analyzeFrame(frame),
      'bg>offscreen:configure': (settings) => packagedEngine().configure(settings),
      'bg>offscreen:classifyFaces': ({ faces }) => {
        if (!__MOODLENS_DEV__) throw new Error('classifyFaces is only in development builds');
        return classifyFaces(faces);
      },
      'bg>offscreen:startCapture': async ({ tabId, streamId }) => {
        captures.get(tabId)?.stop('a new capture replaced it');
        captures.set(tabId, await TabCapture.start(tabId, streamId, captureSink));
        return { ok: true };
      },
      'bg>offscreen:stopCapture': ({ tabId }) => {
        captures.get(tabId)?.stop();
        return { ok: true };
      },
      'bg>offscreen:regions': ({ tabId, regions, viewport }) => {
        captures.get(tabId)?.setRegions(regions, viewport);
        return { ok: true };
      },
      'bg>offscreen:forget': ({ sourceIds }) => {
        for (const id of sourceIds) packagedEngine().forgetSource(id);
        return { ok: true };
      },
    },
    self,
  ),
);
