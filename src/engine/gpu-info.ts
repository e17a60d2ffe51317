/**
 * What the browser says about its GPUs, before any back end is timed: a back end that is absent or
 * runs on a software renderer (SwiftShader, llvmpipe: hundreds of times slower than wasm for the
 * classifier, and often over the probe's time limit) is skipped rather than probed. Asking costs a
 * few ms; probing such a back end cost 15 s each on a machine without a GPU.
 */

/** Renderer names of software rasterisers (WebGL's unmasked renderer, WebGPU's adapter info). */
const SOFTWARE = /swiftshader|llvmpipe|softpipe|lavapipe|software|microsoft basic render/i;

/** Whether a renderer or adapter description names a software rasteriser. */
export function isSoftwareRenderer(description: string): boolean {
  return SOFTWARE.test(description);
}

/** `usable`: the back end may be probed; otherwise why it is skipped, in words for the popup. */
export type GpuAvailability = { usable: true; renderer: string } | { usable: false; why: string };

export interface GpuReport {
  webgpu: GpuAvailability;
  webgl: GpuAvailability;
}

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: {
    vendor?: string;
    architecture?: string;
    device?: string;
    description?: string;
    isFallbackAdapter?: boolean;
  };
}

/** Judges a WebGPU adapter (null: none). */
export function judgeAdapter(adapter: AdapterLike | null | undefined): GpuAvailability {
  if (!adapter) return { usable: false, why: 'no WebGPU adapter here' };
  const info = adapter.info ?? {};
  const renderer = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  if (adapter.isFallbackAdapter === true || info.isFallbackAdapter === true)
    return { usable: false, why: `WebGPU here is a software fallback adapter (${renderer || 'unnamed'})` };
  if (isSoftwareRenderer(renderer))
    return { usable: false, why: `WebGPU here runs in software (${renderer})` };
  return { usable: true, renderer: renderer || 'unnamed adapter' };
}

/** Judges a WebGL renderer string (undefined: no WebGL context). */
export function judgeWebGlRenderer(renderer: string | undefined): GpuAvailability {
  if (renderer === undefined) return { usable: false, why: 'no WebGL here' };
  if (isSoftwareRenderer(renderer))
    return { usable: false, why: `WebGL here runs in software (${renderer})` };
  return { usable: true, renderer };
}

async function webgpuAdapter(): Promise<AdapterLike | null> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } }).gpu;
  if (!gpu) return null;
  try {
    return await gpu.requestAdapter();
  } catch {
    return null;
  }
}

function webglRenderer(): string | undefined {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl: WebGL2RenderingContext | WebGLRenderingContext | null =
      canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    if (!gl) return undefined;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(
      gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? 'unknown renderer',
    );
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return undefined;
  }
}

/** Asks the browser about WebGPU and WebGL (each at most `timeoutMs`; an adapter that hangs is absent). */
export async function gpuReport(timeoutMs = 2000): Promise<GpuReport> {
  const adapter = await Promise.race([
    webgpuAdapter(),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs)),
  ]);
  return { webgpu: judgeAdapter(adapter), webgl: judgeWebGlRenderer(webglRenderer()) };
}
