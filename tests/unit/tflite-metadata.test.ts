import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FACE_MODEL_OUT, FACE_MODEL_SOURCE } from '../../scripts/prepare-face-model.ts';
import { prepareFaceModel, summarise } from '../../scripts/tflite-metadata.ts';

const source = new Uint8Array(readFileSync(FACE_MODEL_SOURCE));

describe('prepare-face-model', () => {
  it('the npm BlazeFace model has no metadata (which is why the Tasks API refuses it)', () => {
    const s = summarise(source);
    expect(s.metadataNames).not.toContain('TFLITE_METADATA');
    expect(s.inputs[0]?.shape).toEqual([1, 128, 128, 3]);
  });

  it('adds TFLITE_METADATA with NormalizationOptions mean 127.5, std 127.5 and keeps the graph', () => {
    const s = summarise(prepareFaceModel(source));
    expect(s.metadataNames).toContain('TFLITE_METADATA');
    expect(s.normalization).toEqual({ mean: 127.5, std: 127.5 });
    expect(s.minParserVersion).toBe('1.0.0');
    const before = summarise(source);
    expect(s.inputs).toEqual(before.inputs);
    expect(s.outputs).toEqual(before.outputs);
    expect(s.buffers).toBe(before.buffers + 1);
  });

  it('reproduces the packaged model byte for byte', () => {
    expect(Buffer.compare(prepareFaceModel(source), readFileSync(FACE_MODEL_OUT))).toBe(0);
  });

  it('refuses a file that is not a TFLite model', () => {
    expect(() => prepareFaceModel(new Uint8Array(64))).toThrow(/not a TFLite model/);
  });
});
