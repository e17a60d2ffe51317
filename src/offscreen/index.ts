/** Offscreen document entry (Chrome): hosts the engine and answers the background. */
import { createDispatcher } from '../shared/messaging';
import { analyzeFrame, classifyFaces, engineHost, engineStatus } from '../engine/extension-host';
import { serveFrames } from '../shared/frame-channel';
import { listen, self } from '../shared/platform';

const startedAt = performance.now();

// relay frames send their bitmaps here directly (src/shared/frame-channel.ts)
serveFrames(analyzeFrame);

listen(
  createDispatcher(
    'offscreen',
    {
      'bg>offscreen:ping': () => ({ host: 'offscreen', uptimeMs: performance.now() - startedAt }),
      'bg>offscreen:engineStatus': ({ start }) => engineStatus(start),
      'bg>offscreen:frame': (frame) => analyzeFrame(frame),
      'bg>offscreen:configure': (settings) => engineHost().configure(settings),
      'bg>offscreen:classifyFaces': ({ faces }) => {
        if (!__MOODLENS_DEV__) throw new Error('classifyFaces is only in development builds');
        return classifyFaces(faces);
      },
      'bg>offscreen:forget': ({ sourceIds }) => {
        for (const id of sourceIds) engineHost().forgetSource(id);
        return { ok: true };
      },
    },
    self,
  ),
);
