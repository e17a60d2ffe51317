/**
 * face-api's expression network (@vladmandic/face-api, model/face_expression_model*), run on the
 * caller's tfjs for the benchmark: the same graph as the package's FaceExpressionNet (four dense
 * blocks of separable convolutions, 7x7 average pool, one fully connected layer, softmax; see its
 * src/faceFeatureExtractor/FaceFeatureExtractor.ts and denseBlock.ts) without a second copy of tfjs.
 * Input: a 112x112 RGB face, minus the mean RGB, over 255. A 48x48 grey FER2013 face is given to it
 * as grey in all three channels, resized bilinearly to 112x112 (as face-api resizes a tensor input).
 */
import * as tf from '@tensorflow/tfjs-core';

/** face-api's classes, in its order. */
export const FACE_API_CLASSES = [
  'neutral',
  'happy',
  'sad',
  'angry',
  'fearful',
  'disgusted',
  'surprised',
] as const;
/** For each face-api class, its index in FER2013 order (angry, disgust, fear, happy, sad, surprise, neutral). */
export const FACE_API_TO_FER = [6, 3, 4, 0, 2, 1, 5] as const;
const INPUT = 112;
const MEAN_RGB = [122.782, 117.001, 104.298] as const;

export interface FaceApiExpressionNet {
  /** FER2013-order probabilities, [n][7], of 48x48 grey faces. */
  predict: (faces: readonly Uint8Array[]) => Promise<number[][]>;
  dispose: () => void;
}

/** FER2013-order probabilities from face-api-order ones. */
export function toFerOrder(p: ArrayLike<number>): number[] {
  const out = new Array<number>(7).fill(0);
  FACE_API_TO_FER.forEach((fer, i) => (out[fer] = p[i] ?? 0));
  return out;
}

/** The weights manifest (face_expression_model-weights_manifest.json) and its .bin file. */
export function faceApiExpressionNet(
  manifest: tf.io.WeightsManifestConfig,
  weights: ArrayBuffer,
): FaceApiExpressionNet {
  const specs = manifest.flatMap((group) => group.weights);
  const map = tf.io.decodeWeights(weights, specs);
  const w = (name: string) => {
    const t = map[name];
    if (!t) throw new Error(`face-api expression model: no tensor ${name}`);
    return t;
  };
  const separable = (x: tf.Tensor4D, name: string, stride: 1 | 2) =>
    tf.add<tf.Tensor4D>(
      tf.separableConv2d(
        x,
        w(`${name}/depthwise_filter`) as tf.Tensor4D,
        w(`${name}/pointwise_filter`) as tf.Tensor4D,
        stride,
        'same',
      ),
      w(`${name}/bias`),
    );
  const denseBlock = (x: tf.Tensor4D, block: string, first: boolean) => {
    const out1 = tf.relu<tf.Tensor4D>(
      first
        ? tf.add<tf.Tensor4D>(
            tf.conv2d(x, w(`${block}/conv0/filters`) as tf.Tensor4D, 2, 'same'),
            w(`${block}/conv0/bias`),
          )
        : separable(x, `${block}/conv0`, 2),
    );
    const out2 = separable(out1, `${block}/conv1`, 1);
    const out3 = separable(tf.relu(tf.add(out1, out2)), `${block}/conv2`, 1);
    const out4 = separable(tf.relu(tf.add(out1, tf.add(out2, out3))), `${block}/conv3`, 1);
    return tf.relu<tf.Tensor4D>(tf.add(out1, tf.add(out2, tf.add(out3, out4))));
  };
  const forward = (faces: readonly Uint8Array[]) =>
    tf.tidy(() => {
      const grey = tf.tensor4d(Float32Array.from(faces.flatMap((f) => Array.from(f))), [
        faces.length,
        48,
        48,
        1,
      ]);
      const rgb = tf.image.resizeBilinear(tf.tile(grey, [1, 1, 1, 3]), [INPUT, INPUT]);
      let x = tf.div<tf.Tensor4D>(tf.sub(rgb, tf.tensor1d([...MEAN_RGB])), 255);
      for (const [i, block] of ['dense0', 'dense1', 'dense2', 'dense3'].entries())
        x = denseBlock(x, block, i === 0);
      const features = tf.reshape(tf.avgPool(x, 7, 2, 'valid'), [faces.length, -1]);
      return tf.softmax<tf.Tensor2D>(tf.add(tf.matMul(features, w('fc/weights')), w('fc/bias')));
    });
  return {
    async predict(faces) {
      if (faces.length === 0) return [];
      const out = forward(faces);
      try {
        const p = await out.data<'float32'>();
        return faces.map((_, i) => toFerOrder(p.subarray(i * 7, i * 7 + 7)));
      } finally {
        out.dispose();
      }
    },
    dispose() {
      for (const t of Object.values(map)) t.dispose();
    },
  };
}
