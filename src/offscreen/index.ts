/** Offscreen document entry (Chrome): hosts the engine and answers the background. */
import { createDispatcher } from '../shared/messaging';
import { analyzeFrame, engineStatus } from '../engine/extension-host';
import { listen, self } from '../shared/platform';

const startedAt = performance.now();

listen(
  createDispatcher(
    'offscreen',
    {
      'bg>offscreen:ping': () => ({ host: 'offscreen', uptimeMs: performance.now() - startedAt }),
      'bg>offscreen:engineStatus': ({ start }) => engineStatus(start),
      'bg>offscreen:frame': (frame) => analyzeFrame(frame),
    },
    self,
  ),
);
