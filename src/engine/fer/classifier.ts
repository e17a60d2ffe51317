import * as tf from '@tensorflow/tfjs-core';
import { disposeWeights, forward, loadWeights, type FerWeights } from './model';
import { facesToTensor } from './preprocess';
import { FER_CLASSES, parseModelSpec, type FaceView, type FerModelSpec } from './spec';

/**
 * The facial-expression classifier: a batch of 48x48 grey faces in, 7 calibrated probabilities per
 * face out, in FER2013 order (angry, disgust, fear, happy, sad, surprise, neutral). A model with a
 * mirror pass (model.json mirrorCrop, e.g. 40 of 48 pixels) averages the logits of the whole face
 * and of the centre window of its mirror image; a model without one (mirrorCrop null) runs the
 * face once. The logits are then divided by the temperature fitted on validation.
 * training/export.py computes the same.
 */
export interface ModelSource {
  /** model.json, parsed. */
  manifest: unknown;
  /** Reads a file next to model.json (weights.bin). */
  readFile: (name: string) => Promise<ArrayBuffer>;
}

export interface ClassifyOptions {
  /** Average with the mirror image's window, when the model has one (default true, as the model card reports). */
  flip?: boolean;
}

export class FerClassifier {
  private constructor(
    readonly spec: FerModelSpec,
    private weights: FerWeights | undefined,
  ) {}

  static async load(source: ModelSource): Promise<FerClassifier> {
    const spec = parseModelSpec(source.manifest);
    const buffer = await source.readFile(spec.weights.file);
    return new FerClassifier(spec, loadWeights(spec, buffer));
  }

  get classes(): readonly string[] {
    return FER_CLASSES;
  }

  private live(): FerWeights {
    if (!this.weights) throw new Error('the FER classifier was disposed');
    return this.weights;
  }

  /** Raw logits (before temperature), [n][7]. */
  async logits(faces: readonly Uint8Array[], { flip = true }: ClassifyOptions = {}): Promise<Float32Array[]> {
    if (faces.length === 0) return [];
    const weights = this.live();
    const { mirrorCrop: crop, input } = this.spec;
    const out = tf.tidy(() => {
      const x = facesToTensor(faces);
      const z = forward(weights, viewOf(x, this.spec.view));
      if (!flip || crop === null) return z;
      const margin = (input.size - crop) / 2;
      const mirror = tf.reverse(x, 2);
      const window =
        crop === input.size ? mirror : tf.slice(mirror, [0, margin, margin, 0], [-1, crop, crop, -1]);
      return tf.div(tf.add(z, forward(weights, window)), 2);
    });
    try {
      return rows(await out.data<'float32'>(), faces.length);
    } finally {
      out.dispose();
    }
  }

  /** Calibrated probabilities, [n][7]. */
  async classify(faces: readonly Uint8Array[], options: ClassifyOptions = {}): Promise<Float32Array[]> {
    const logits = await this.logits(faces, options);
    return logits.map((z) => softmax(z, this.spec.temperature));
  }

  dispose(): void {
    if (this.weights) disposeWeights(this.weights);
    this.weights = undefined;
  }
}

/** The part of the faces the network sees (model.json view); training/train.py test_view does the same. */
function viewOf(x: tf.Tensor4D, view: FaceView): tf.Tensor4D {
  if (view.kind === 'resize') return tf.image.resizeBilinear(x, [view.size, view.size], false, true);
  if (view.kind === 'crop') {
    const margin = (x.shape[1] - view.size) / 2;
    return tf.slice(x, [0, margin, margin, 0], [-1, view.size, view.size, -1]);
  }
  return x;
}

function rows(flat: Float32Array, n: number): Float32Array[] {
  const k = flat.length / n;
  return Array.from({ length: n }, (_, i) => flat.slice(i * k, (i + 1) * k));
}

export function softmax(z: Float32Array, temperature = 1): Float32Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v / temperature);
  const e = z.map((v) => Math.exp(v / temperature - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
