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

export interface FaceView {
  kind: 'full' | 'crop' | 'resize';
  size: number;
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
  /**
   * What the network sees of the 48x48 face: all of it, its centre size x size window, or the
   * face resized (bilinear, half-pixel centres) to size x size. A manifest without it: all of it.
   */
  view: FaceView;
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
  const view = parseView(spec.view, size);
  if (spec.mirrorCrop === null) return { ...spec, mirrorCrop: null, view } as FerModelSpec;
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
  if (view.kind !== 'full')
    throw new Error(`model.json has a mirror pass with a ${view.kind} view; export with --mirror-crop 0`);
  return { ...spec, mirrorCrop, view } as FerModelSpec;
}

function parseView(view: unknown, faceSize: number): FaceView {
  if (view === undefined) return { kind: 'full', size: faceSize };
  const { kind, size } = (typeof view === 'object' && view !== null ? view : {}) as {
    kind?: unknown;
    size?: unknown;
  };
  const window = typeof size === 'number' && Number.isInteger(size) && size >= 8 && size <= faceSize;
  const ok =
    (kind === 'full' && size === faceSize) ||
    (kind === 'resize' && window) ||
    (kind === 'crop' && window && (faceSize - size) % 2 === 0);
  if (!ok) {
    throw new Error(
      `model.json view ${JSON.stringify(view)} is not full, crop or resize of the ${faceSize}-pixel face`,
    );
  }
  return { kind, size };
}
