import * as tf from '@tensorflow/tfjs-core';
import { float16ToFloat32 } from './float16';
import type { FerModelSpec } from './spec';

/**
 * The FER ResNet in TensorFlow.js, op for op as training/model.py after batch-norm folding:
 * stem conv+ReLU; basic blocks (conv+ReLU, conv, optional 1x1 shortcut conv, add, ReLU);
 * global average pool; linear. Convolutions pad symmetrically (PyTorch's padding=1), which
 * TensorFlow's 'same' does not do for stride 2.
 */
interface Conv {
  filter: tf.Tensor4D; // [kh, kw, in, out]
  bias: tf.Tensor1D;
  stride: number;
  pad: number;
}

interface Layer {
  kind: 'stem' | 'block';
  convs: Record<string, Conv>;
}

export interface FerWeights {
  layers: Layer[];
  fcW: tf.Tensor2D; // [in, 7]
  fcB: tf.Tensor1D;
  tensors: tf.Tensor[];
}

export function loadWeights(spec: FerModelSpec, buffer: ArrayBuffer): FerWeights {
  if (buffer.byteLength !== spec.weights.bytes) {
    throw new Error(`weights file has ${buffer.byteLength} bytes, model.json expects ${spec.weights.bytes}`);
  }
  const byName = new Map(spec.weights.tensors.map((t) => [t.name, t]));
  const tensors: tf.Tensor[] = [];
  const read = (name: string): { values: Float32Array; shape: number[] } => {
    const entry = byName.get(name);
    if (!entry) throw new Error(`weights: tensor ${name} is missing`);
    const bytes = buffer.slice(entry.offset, entry.offset + entry.length);
    const values =
      spec.dtype === 'float16' ? float16ToFloat32(new Uint16Array(bytes)) : new Float32Array(bytes);
    return { values, shape: entry.shape };
  };
  const keep = <T extends tf.Tensor>(t: T): T => {
    tensors.push(t);
    return t;
  };
  const layers: Layer[] = spec.architecture.layers.map((layer, i) => {
    const convs: Record<string, Conv> = {};
    for (const [key, conv] of Object.entries(layer.convs)) {
      const w = read(`l${i}.${key}.w`);
      const [out, inC, kh, kw] = w.shape as [number, number, number, number];
      // PyTorch [out, in, kh, kw] -> TensorFlow [kh, kw, in, out]
      const filter = keep(
        tf.tidy(() => tf.transpose(tf.tensor4d(w.values, [out, inC, kh, kw]), [2, 3, 1, 0])),
      );
      const bias = keep(tf.tensor1d(read(`l${i}.${key}.b`).values));
      convs[key] = { filter, bias, stride: conv.stride, pad: conv.pad };
    }
    return { kind: layer.kind, convs };
  });
  const fc = read('fc.w');
  const [classes, features] = fc.shape as [number, number];
  const fcW = keep(tf.tidy(() => tf.transpose(tf.tensor2d(fc.values, [classes, features]))));
  const fcB = keep(tf.tensor1d(read('fc.b').values));
  return { layers, fcW, fcB, tensors };
}

function conv(x: tf.Tensor4D, c: Conv): tf.Tensor4D {
  return tf.add(tf.conv2d(x, c.filter, c.stride, c.pad), c.bias);
}

function need(layer: Layer, key: string): Conv {
  const c = layer.convs[key];
  if (!c) throw new Error(`layer is missing its ${key} convolution`);
  return c;
}

/** Logits [n, 7] of an input batch [n, 48, 48, 1]. Call inside tf.tidy. */
export function forward(weights: FerWeights, input: tf.Tensor4D): tf.Tensor2D {
  let x = input;
  for (const layer of weights.layers) {
    if (layer.kind === 'stem') {
      x = tf.relu(conv(x, need(layer, 'conv')));
      continue;
    }
    const out = conv(tf.relu(conv(x, need(layer, 'conv1'))), need(layer, 'conv2'));
    const shortcut = layer.convs.shortcut;
    const skip = shortcut ? conv(x, shortcut) : x;
    x = tf.relu(tf.add(out, skip));
  }
  const pooled = tf.mean<tf.Tensor2D>(x, [1, 2]);
  return tf.add(tf.matMul(pooled, weights.fcW), weights.fcB);
}

export function disposeWeights(weights: FerWeights): void {
  for (const t of weights.tensors) t.dispose();
}
