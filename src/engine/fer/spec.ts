/** The shipped model's description (models/fer-resnet/model.json), written by training/export.py. */
export { EMOTIONS as FER_CLASSES } from '../../shared/emotions';
import { EMOTIONS as FER_CLASSES } from '../../shared/emotions';
export type FerClass = (typeof FER_CLASSES)[number];

export interface ConvSpec {
  stride: number;
  pad: number;
}

export interface LayerSpec {
  kind: 'stem' | 'block';
  convs: Record<string, ConvSpec>;
}

export interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

export interface FerModelSpec {
  format: 'moodlens-fer-resnet/1';
  classes: string[];
  input: { size: number; channels: number };
  temperature: number;
  dtype: 'float16' | 'float32';
  architecture: { widths: number[]; depths: number[]; layers: LayerSpec[] };
  /**
   * The mirror image's pass sees the centre mirrorCrop x mirrorCrop window of the mirrored face
   * (the whole face when it equals input.size; a manifest without it means the whole face).
   * null: the model runs one pass, on the face alone.
   */
  mirrorCrop: number | null;
  params: number;
  /** Multiply-accumulates per face as the classifier runs it (every pass together). */
  macsPerFace: number;
  weights: { file: string; bytes: number; tensors: TensorEntry[] };
}

/** Checks a parsed model.json, failing with a message that says what is wrong. */
export function parseModelSpec(json: unknown): FerModelSpec {
  const spec = json as Partial<FerModelSpec> | null;
  if (!spec || spec.format !== 'moodlens-fer-resnet/1') {
    throw new Error(
      'model.json is not a MoodLens FER model (format moodlens-fer-resnet/1); re-run training/export.py',
    );
  }
  if (spec.classes?.join() !== FER_CLASSES.join()) {
    throw new Error(
      `model.json classes ${String(spec.classes)} are not the FER2013 order ${FER_CLASSES.join()}`,
    );
  }
  if (!spec.architecture?.layers.length || !spec.weights?.tensors.length) {
    throw new Error('model.json lists no layers or no weights');
  }
  if (!(typeof spec.temperature === 'number' && spec.temperature > 0)) {
    throw new Error('model.json has no positive temperature');
  }
  const size = spec.input?.size ?? 48;
  if (spec.mirrorCrop === null) return { ...spec, mirrorCrop: null } as FerModelSpec;
  const mirrorCrop = spec.mirrorCrop ?? size;
  if (!(
    Number.isInteger(mirrorCrop) &&
    mirrorCrop >= 8 &&
    mirrorCrop <= size &&
    (size - mirrorCrop) % 2 === 0
  )) {
    throw new Error(
      `model.json mirrorCrop ${String(spec.mirrorCrop)} is not an even-margin window of the ${size}-pixel face`,
    );
  }
  return { ...spec, mirrorCrop } as FerModelSpec;
}
