/**
 * Which MediaPipe delegate detects faces for the life of the host. `auto` times the CPU (XNNPACK)
 * delegate and the GPU delegate on a 640x360 frame and keeps the faster, except where the GPU
 * delegate cannot be worth it (no WebGL, or WebGL in software: gpu-info.ts), or where the delegate
 * that worked at the last start in this browser is remembered: then that one is made, unprobed.
 */
import type { FaceDetector } from './types';

export type Delegate = 'CPU' | 'GPU';

/** A frame for the detector's speed probe: a grey gradient, the size of a large meeting tile. */
function probeFrame(): OffscreenCanvas {
  const canvas = new OffscreenCanvas(640, 360);
  const g = canvas.getContext('2d');
  if (g) {
    const grad = g.createLinearGradient(0, 0, 640, 360);
    grad.addColorStop(0, '#333');
    grad.addColorStop(1, '#ccc');
    g.fillStyle = grad;
    g.fillRect(0, 0, 640, 360);
  }
  return canvas;
}

async function timeDetector(detector: FaceDetector): Promise<number> {
  const frame = probeFrame();
  await detector.detect(frame, 0); // warm-up
  const times: number[] = [];
  for (let i = 1; i <= 5; i++) {
    const t = performance.now();
    await detector.detect(frame, i);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[2] as number;
}

function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export interface DetectorChoiceOptions {
  mode: 'auto' | Delegate;
  /** Why the GPU delegate is not worth probing here (no WebGL, software WebGL); undefined: it may be. */
  gpuSkip?: string | undefined;
  /** The delegate that worked at the last start in this browser. */
  remembered?: Delegate | undefined;
}

/** One detector for the life of the host, its delegate, and why it was chosen. */
export async function chooseDetector(
  create: (delegate: Delegate) => Promise<FaceDetector>,
  { mode, gpuSkip, remembered }: DetectorChoiceOptions,
): Promise<{ detector: FaceDetector; delegate: Delegate; reason: string }> {
  if (mode !== 'auto')
    return { detector: await create(mode), delegate: mode, reason: `the ${mode} delegate, as configured` };
  if (remembered === 'CPU' || (remembered === 'GPU' && gpuSkip === undefined)) {
    try {
      return {
        detector: await timeout(create(remembered), 15_000, `starting the ${remembered} delegate`),
        delegate: remembered,
        reason: `${remembered} delegate, remembered from the last start in this browser (not probed again)`,
      };
    } catch {
      // it worked last time but not now: choose again
    }
  }
  const cpu = await create('CPU');
  if (gpuSkip !== undefined)
    return {
      detector: cpu,
      delegate: 'CPU',
      reason: `CPU delegate; the GPU delegate was not tried: ${gpuSkip}`,
    };
  const cpuMs = await timeDetector(cpu);
  let gpu: FaceDetector | undefined;
  try {
    gpu = await timeout(create('GPU'), 15_000, 'starting the GPU delegate');
    const gpuMs = await timeout(timeDetector(gpu), 15_000, 'the GPU delegate probe');
    if (gpuMs < cpuMs) {
      cpu.close();
      return {
        detector: gpu,
        delegate: 'GPU',
        reason: `GPU delegate: ${gpuMs.toFixed(1)} ms per frame, CPU ${cpuMs.toFixed(1)} ms`,
      };
    }
    gpu.close();
    return {
      detector: cpu,
      delegate: 'CPU',
      reason: `CPU delegate: ${cpuMs.toFixed(1)} ms per frame, GPU ${gpuMs.toFixed(1)} ms`,
    };
  } catch (error) {
    gpu?.close();
    return {
      detector: cpu,
      delegate: 'CPU',
      reason: `CPU delegate: ${cpuMs.toFixed(1)} ms per frame; the GPU delegate does not work here (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}
