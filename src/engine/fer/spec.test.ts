import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModelSpec } from './spec';

const shipped = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../../models/fer-resnet/model.json'), 'utf8'),
) as Record<string, unknown>;

describe('parseModelSpec', () => {
  it("reads the shipped model's mirror window and its cost per face", () => {
    const spec = parseModelSpec(shipped);
    expect(spec.mirrorCrop).toBe(40);
    expect(spec.input.size).toBe(48);
    // the face and the mirror window together stay within the 0.6 GMAC budget of a face
    expect(spec.macsPerFace).toBeLessThanOrEqual(600e6);
    expect(spec.macsPerFace).toBeGreaterThan(shipped.macsPerPass as number);
  });

  it('takes a manifest without mirrorCrop as the whole mirrored face', () => {
    const older = { ...shipped };
    delete older.mirrorCrop;
    expect(parseModelSpec(older).mirrorCrop).toBe(48);
  });

  it('takes mirrorCrop null as a model of one pass, on the face alone', () => {
    expect(parseModelSpec({ ...shipped, mirrorCrop: null }).mirrorCrop).toBeNull();
  });

  it('reads the view the network sees of a face, and takes a manifest without one as the whole face', () => {
    const older = { ...shipped };
    delete older.view;
    expect(parseModelSpec({ ...older, mirrorCrop: 40 }).view).toEqual({ kind: 'full', size: 48 });
    const view = { kind: 'resize', size: 34 };
    expect(parseModelSpec({ ...shipped, mirrorCrop: null, view }).view).toEqual(view);
    expect(parseModelSpec({ ...shipped, mirrorCrop: null, view: { kind: 'crop', size: 34 } }).view.kind).toBe(
      'crop',
    );
  });

  it.each([
    { kind: 'crop', size: 33 },
    { kind: 'resize', size: 60 },
    { kind: 'zoom', size: 34 },
    { kind: 'full', size: 34 },
    'resize:34',
  ])('refuses the view %j with a message that names it', (view) => {
    expect(() => parseModelSpec({ ...shipped, mirrorCrop: null, view })).toThrow(
      /model.json view .* of the 48-pixel face/,
    );
  });

  it('refuses a mirror pass beside a view that is not the whole face', () => {
    expect(() => parseModelSpec({ ...shipped, mirrorCrop: 40, view: { kind: 'resize', size: 34 } })).toThrow(
      /--mirror-crop 0/,
    );
  });

  it.each([41, 50, 4, 40.5, '40'])('refuses mirrorCrop %s with a message that names it', (mirrorCrop) => {
    expect(() => parseModelSpec({ ...shipped, mirrorCrop })).toThrow(
      /mirrorCrop .* window of the 48-pixel face/,
    );
  });

  it('refuses a manifest of another format or class order', () => {
    expect(() => parseModelSpec({ ...shipped, format: 'other' })).toThrow(/re-run training\/export.py/);
    expect(() => parseModelSpec({ ...shipped, classes: ['happy'] })).toThrow(/FER2013 order/);
  });
});
