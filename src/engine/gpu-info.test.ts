import { describe, expect, it } from 'vitest';
import { isSoftwareRenderer, judgeAdapter, judgeWebGlRenderer } from './gpu-info';

describe('gpu-info', () => {
  it('names software renderers as such', () => {
    for (const r of [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'Microsoft Basic Render Driver',
    ])
      expect(isSoftwareRenderer(r)).toBe(true);
    expect(
      isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)'),
    ).toBe(false);
  });

  it('skips an absent, fallback or software WebGPU adapter', () => {
    expect(judgeAdapter(null)).toEqual({ usable: false, why: 'no WebGPU adapter here' });
    expect(judgeAdapter({ info: { vendor: 'google', architecture: 'swiftshader' } }).usable).toBe(false);
    expect(judgeAdapter({ info: { vendor: 'x', isFallbackAdapter: true } }).usable).toBe(false);
    expect(judgeAdapter({ isFallbackAdapter: true }).usable).toBe(false);
    expect(judgeAdapter({ info: { vendor: 'nvidia', architecture: 'ampere' } })).toEqual({
      usable: true,
      renderer: 'nvidia ampere',
    });
  });

  it('skips absent or software WebGL', () => {
    expect(judgeWebGlRenderer(undefined).usable).toBe(false);
    expect(judgeWebGlRenderer('Google SwiftShader').usable).toBe(false);
    expect(judgeWebGlRenderer('Apple M2').usable).toBe(true);
  });
});
