import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ModelSource } from './classifier';

/** The shipped model read from the file system (Node: tests, the evaluate command). */
export const MODEL_DIR = resolve(import.meta.dirname, '../../../models/fer-resnet');

export async function nodeModelSource(dir = MODEL_DIR): Promise<ModelSource> {
  const manifest: unknown = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  return {
    manifest,
    readFile: async (name) => {
      const b = await readFile(join(dir, name));
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    },
  };
}
