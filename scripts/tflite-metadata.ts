/**
 * Attaches TFLite Model Metadata to a .tflite file, so that the MediaPipe Tasks API accepts it.
 * The FaceDetector refuses BlazeFace from the npm package `@mediapipe/face_detection` until its
 * input tensor carries NormalizationOptions (mean 127.5, std 127.5): "Input tensor has type
 * float32: it requires specifying NormalizationOptions metadata".
 *
 * Two flatbuffer schemas are involved (field slots = declaration order in the .fbs):
 * - tensorflow/lite/schema/schema.fbs ("TFL3", root Model): Model { version, operator_codes,
 *   subgraphs, description, buffers, metadata_buffer, metadata, signature_defs }, Buffer { data },
 *   Metadata { name, buffer }.
 * - tflite-support metadata_schema.fbs ("M001", root ModelMetadata): stored as the bytes of a new
 *   Model.buffers entry that a Model.metadata entry named "TFLITE_METADATA" points at (what
 *   tflite-support's MetadataPopulator writes and MediaPipe's metadata extractor reads).
 *
 * Flatbuffer offsets point forward, so the original file is kept byte for byte as a 16-byte
 * aligned blob at the end of a new flatbuffer, in front of which a new root Model reuses the old
 * tables and adds the new buffer and metadata entry. Weight buffers keep their bytes and alignment.
 */
import * as flatbuffers from 'flatbuffers';

const TENSOR_TYPES = [
  'FLOAT32',
  'FLOAT16',
  'INT32',
  'UINT8',
  'INT64',
  'STRING',
  'BOOL',
  'INT16',
  'COMPLEX64',
  'INT8',
];
/** Model table slots. */
const M = {
  version: 0,
  operator_codes: 1,
  subgraphs: 2,
  description: 3,
  buffers: 4,
  metadata_buffer: 5,
  metadata: 6,
  signature_defs: 7,
};

/** A minimal little-endian flatbuffer reader, enough to walk the parts of a Model we need. */
class Reader {
  private readonly dv: DataView;
  constructor(readonly u8: Uint8Array) {
    this.dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  }
  u32 = (p: number) => this.dv.getUint32(p, true);
  i32 = (p: number) => this.dv.getInt32(p, true);
  u16 = (p: number) => this.dv.getUint16(p, true);
  f32 = (p: number) => this.dv.getFloat32(p, true);
  root = () => this.u32(0);
  ident = () => String.fromCharCode(...this.u8.subarray(4, 8));
  /** Absolute position of field `slot` of the table at `t`, or 0 when absent. */
  field(t: number, slot: number): number {
    const vt = t - this.i32(t);
    const o = 4 + 2 * slot;
    if (o >= this.u16(vt)) return 0;
    const off = this.u16(vt + o);
    return off ? t + off : 0;
  }
  numFields = (t: number) => (this.u16(t - this.i32(t)) - 4) / 2;
  deref = (p: number) => p + this.u32(p);
  ref(t: number, slot: number): number {
    const p = this.field(t, slot);
    return p ? this.deref(p) : 0;
  }
  tables(v: number): number[] {
    return Array.from({ length: this.u32(v) }, (_, i) => this.deref(v + 4 + 4 * i));
  }
  i32s = (v: number) => Array.from({ length: this.u32(v) }, (_, i) => this.i32(v + 4 + 4 * i));
  f32s = (v: number) => Array.from({ length: this.u32(v) }, (_, i) => this.f32(v + 4 + 4 * i));
  str = (s: number) => (s ? new TextDecoder().decode(this.u8.subarray(s + 4, s + 4 + this.u32(s))) : null);
  u32f(t: number, slot: number): number {
    const p = this.field(t, slot);
    return p ? this.u32(p) : 0;
  }
  u8f(t: number, slot: number): number {
    const p = this.field(t, slot);
    return p ? (this.u8[p] as number) : 0;
  }
}

export interface TensorInfo {
  index: number;
  name: string | null;
  shape: number[];
  type: string | undefined;
}

interface ModelView {
  r: Reader;
  model: number;
  version: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  buffers: number[];
  metadata: { pos: number; name: string | null; buffer: number }[];
}

function view(bytes: Uint8Array): ModelView {
  const r = new Reader(bytes);
  if (r.ident() !== 'TFL3')
    throw new Error(`not a TFLite model (file identifier "${r.ident()}", expected "TFL3")`);
  const model = r.root();
  const sg = r.tables(r.ref(model, M.subgraphs))[0];
  if (sg === undefined) throw new Error('the model has no subgraph');
  const tensors = r.tables(r.ref(sg, 0));
  const tensor = (i: number): TensorInfo => {
    const tp = tensors[i] as number;
    return {
      index: i,
      name: r.str(r.ref(tp, 3)),
      shape: r.i32s(r.ref(tp, 0)),
      type: TENSOR_TYPES[r.u8f(tp, 1)],
    };
  };
  const md = r.ref(model, M.metadata);
  for (let s = 8; s < r.numFields(model); s++) {
    if (r.field(model, s)) throw new Error(`the model has an unknown field #${s}; refusing to rewrite it`);
  }
  return {
    r,
    model,
    version: r.u32f(model, M.version),
    inputs: r.i32s(r.ref(sg, 1)).map(tensor),
    outputs: r.i32s(r.ref(sg, 2)).map(tensor),
    buffers: r.tables(r.ref(model, M.buffers)),
    metadata: md
      ? r.tables(md).map((pos) => ({ pos, name: r.str(r.ref(pos, 0)), buffer: r.u32f(pos, 1) }))
      : [],
  };
}

function bufferBytes(v: ModelView, index: number): Uint8Array {
  const data = v.r.ref(v.buffers[index] as number, 0);
  return data ? v.r.u8.subarray(data + 4, data + 4 + v.r.u32(data)) : new Uint8Array();
}

export interface Normalization {
  mean: number;
  std: number;
}

/** The ModelMetadata flatbuffer: an RGB image input normalised as (x - mean) / std. */
export function buildModelMetadata(
  name: string,
  outputNames: string[],
  { mean, std }: Normalization,
): Uint8Array {
  const b = new flatbuffers.Builder(1024);
  const floats = (arr: number[]) => {
    b.startVector(4, arr.length, 4);
    for (let i = arr.length - 1; i >= 0; i--) b.addFloat32(arr[i] as number);
    return b.endVector();
  };
  const tables = (arr: number[]) => {
    b.startVector(4, arr.length, 4);
    for (let i = arr.length - 1; i >= 0; i--) b.addOffset(arr[i] as number);
    return b.endVector();
  };
  const inName = b.createString('image');
  const inDesc = b.createString('Input image (RGB), normalised to [-1, 1].');
  b.startObject(2); // ImageProperties { color_space: RGB }
  b.addFieldInt8(0, 1, 0);
  const imageProps = b.endObject();
  b.startObject(3); // Content { content_properties_type: ImageProperties, content_properties }
  b.addFieldInt8(0, 2, 0);
  b.addFieldOffset(1, imageProps, 0);
  const content = b.endObject();
  const meanV = floats([mean]);
  const stdV = floats([std]);
  b.startObject(2); // NormalizationOptions { mean, std }
  b.addFieldOffset(0, meanV, 0);
  b.addFieldOffset(1, stdV, 0);
  const norm = b.endObject();
  b.startObject(2); // ProcessUnit { options_type: NormalizationOptions, options }
  b.addFieldInt8(0, 1, 0);
  b.addFieldOffset(1, norm, 0);
  const processUnits = tables([b.endObject()]);
  const maxV = floats([(255 - mean) / std]);
  const minV = floats([(0 - mean) / std]);
  b.startObject(2); // Stats { max, min }
  b.addFieldOffset(0, maxV, 0);
  b.addFieldOffset(1, minV, 0);
  const stats = b.endObject();
  b.startObject(7); // TensorMetadata
  b.addFieldOffset(0, inName, 0);
  b.addFieldOffset(1, inDesc, 0);
  b.addFieldOffset(3, content, 0);
  b.addFieldOffset(4, processUnits, 0);
  b.addFieldOffset(5, stats, 0);
  const inputMeta = b.endObject();
  const outputMetas = outputNames.map((n) => {
    const s = b.createString(n);
    b.startObject(0); // FeatureProperties {}
    const fp = b.endObject();
    b.startObject(3);
    b.addFieldInt8(0, 1, 0);
    b.addFieldOffset(1, fp, 0);
    const c = b.endObject();
    b.startObject(7);
    b.addFieldOffset(0, s, 0);
    b.addFieldOffset(3, c, 0);
    return b.endObject();
  });
  const inputs = tables([inputMeta]);
  const outputs = tables(outputMetas);
  b.startObject(7); // SubGraphMetadata
  b.addFieldOffset(2, inputs, 0);
  b.addFieldOffset(3, outputs, 0);
  const subgraphs = tables([b.endObject()]);
  const mName = b.createString(name);
  const mDesc = b.createString(
    'BlazeFace face detector (MediaPipe); metadata added by MoodLens scripts/prepare-face-model.ts.',
  );
  const mLicense = b.createString('Apache License. Version 2.0 http://www.apache.org/licenses/LICENSE-2.0.');
  const minParser = b.createString('1.0.0'); // only 1.0.0-era fields are used
  b.startObject(8); // ModelMetadata
  b.addFieldOffset(0, mName, 0);
  b.addFieldOffset(1, mDesc, 0);
  b.addFieldOffset(3, subgraphs, 0);
  b.addFieldOffset(5, mLicense, 0);
  b.addFieldOffset(7, minParser, 0);
  b.finish(b.endObject(), 'M001');
  return b.asUint8Array();
}

/** A new .tflite: the original model with `metadata` attached as TFLITE_METADATA. */
export function attachMetadata(orig: Uint8Array, metadata: Uint8Array): Uint8Array {
  const v = view(orig);
  const b = new flatbuffers.Builder(orig.length + metadata.length + 4096);
  b.prep(16, orig.length);
  const blobStart = b.createByteVector(orig) - 4; // builder offsets count from the end
  const at = (p: number) => blobStart - p; // old absolute position -> builder offset
  b.prep(16, metadata.length);
  const mdData = b.createByteVector(metadata);
  b.startObject(1); // Buffer { data }
  b.addFieldOffset(0, mdData, 0);
  const mdBuffer = b.endObject();
  const mdName = b.createString('TFLITE_METADATA');
  b.startObject(2); // Metadata { name, buffer }
  b.addFieldOffset(0, mdName, 0);
  b.addFieldInt32(1, v.buffers.length, 0);
  const mdEntry = b.endObject();
  const offsets = (offs: number[]) => {
    b.startVector(4, offs.length, 4);
    for (let i = offs.length - 1; i >= 0; i--) b.addOffset(offs[i] as number);
    return b.endVector();
  };
  const buffers = offsets([...v.buffers.map(at), mdBuffer]);
  const kept = v.metadata.filter((m) => m.name !== 'TFLITE_METADATA');
  const entries = offsets([...kept.map((m) => at(m.pos)), mdEntry]);
  b.startObject(8);
  b.addFieldInt32(M.version, v.version, 0);
  for (const slot of [M.operator_codes, M.subgraphs, M.description, M.metadata_buffer, M.signature_defs]) {
    const target = v.r.ref(v.model, slot);
    if (target) b.addFieldOffset(slot, at(target), 0);
  }
  b.addFieldOffset(M.buffers, buffers, 0);
  b.addFieldOffset(M.metadata, entries, 0);
  b.finish(b.endObject(), 'TFL3');
  const out = b.asUint8Array();
  // every original buffer keeps its bytes and its 16-byte alignment
  const nv = view(out);
  v.buffers.forEach((_, i) => {
    const a = bufferBytes(v, i);
    const c = bufferBytes(nv, i);
    if (
      a.length !== c.length ||
      (a.length && (a.byteOffset - orig.byteOffset) % 16 !== (c.byteOffset - out.byteOffset) % 16)
    ) {
      throw new Error(`buffer ${i} moved out of alignment or changed size`);
    }
    if (Buffer.compare(a, c) !== 0) throw new Error(`buffer ${i} changed`);
  });
  return out;
}

export interface ModelSummary {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  buffers: number;
  metadataNames: (string | null)[];
  normalization?: Normalization;
  minParserVersion?: string | null;
}

/** What a model says about itself, including the input normalisation of its TFLITE_METADATA. */
export function summarise(bytes: Uint8Array): ModelSummary {
  const v = view(bytes);
  const summary: ModelSummary = {
    inputs: v.inputs,
    outputs: v.outputs,
    buffers: v.buffers.length,
    metadataNames: v.metadata.map((m) => m.name),
  };
  const entry = v.metadata.find((m) => m.name === 'TFLITE_METADATA');
  if (entry) {
    const md = bufferBytes(v, entry.buffer);
    const r = new Reader(md);
    if (r.ident() !== 'M001') throw new Error('TFLITE_METADATA is not a ModelMetadata flatbuffer');
    const root = r.root();
    summary.minParserVersion = r.str(r.ref(root, 7));
    const sg = r.tables(r.ref(root, 3))[0];
    const input = sg === undefined ? undefined : r.tables(r.ref(sg, 2))[0];
    const pu = input === undefined ? undefined : r.tables(r.ref(input, 4))[0];
    if (pu !== undefined && r.u8f(pu, 0) === 1) {
      const opts = r.ref(pu, 1);
      summary.normalization = {
        mean: r.f32s(r.ref(opts, 0))[0] as number,
        std: r.f32s(r.ref(opts, 1))[0] as number,
      };
    }
  }
  return summary;
}

/** The packaged detector model from the npm one: metadata with BlazeFace's (x - 127.5) / 127.5. */
export function prepareFaceModel(orig: Uint8Array, name = 'face_detection_short_range'): Uint8Array {
  const v = view(orig);
  if (v.inputs.length !== 1) throw new Error(`expected one input tensor, found ${v.inputs.length}`);
  const outputNames = v.outputs.map((o, i) => o.name ?? `output_${i}`);
  return attachMetadata(orig, buildModelMetadata(name, outputNames, { mean: 127.5, std: 127.5 }));
}
