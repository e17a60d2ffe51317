import * as tf from '@tensorflow/tfjs-core';

/**
 * The preprocessing contract, defined once (training/fer_data.py says the same): a face is a
 * 48x48 greyscale picture, row-major bytes 0..255; the network sees byte / 255, NHWC.
 */
export const FACE_SIZE = 48;
export const FACE_PIXELS = FACE_SIZE * FACE_SIZE;

/** A batch of faces as the network's input tensor [n, 48, 48, 1]. The caller disposes it. */
export function facesToTensor(faces: readonly Uint8Array[]): tf.Tensor4D {
  const data = new Float32Array(faces.length * FACE_PIXELS);
  faces.forEach((face, i) => {
    if (face.length !== FACE_PIXELS) {
      throw new Error(
        `face ${i} has ${face.length} bytes; a face is ${FACE_SIZE}x${FACE_SIZE} = ${FACE_PIXELS} bytes`,
      );
    }
    for (let j = 0; j < FACE_PIXELS; j++) data[i * FACE_PIXELS + j] = (face[j] as number) / 255;
  });
  return tf.tensor4d(data, [faces.length, FACE_SIZE, FACE_SIZE, 1]);
}
