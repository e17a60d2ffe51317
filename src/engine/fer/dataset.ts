/**
 * Reads a face set in the shared dataset's format: images.u8 (48*48 bytes per picture) and a
 * meta.csv with a header, an `emotion` column (0-6; -1 rows are skipped), optionally `usage`,
 * `index` and the FER+ vote columns.
 */
import { parseCsv } from '../../shared/csv';
import { FACE_PIXELS } from './preprocess';

export { parseCsv };

export interface FaceSet {
  faces: Uint8Array[];
  labels: number[];
  /** FER+ majority label in FER2013 order where the votes give one (else -1). */
  ferplusMajority: number[];
}

const FERPLUS = ['anger', 'disgust', 'fear', 'happiness', 'sadness', 'surprise', 'neutral'].map(
  (c) => `ferplus_${c}`,
);

export function readFaceSet(images: Uint8Array, metaText: string, usage?: string): FaceSet {
  if (images.length === 0 || images.length % FACE_PIXELS !== 0) {
    throw new Error(
      `images file has ${images.length} bytes, not a whole number of 48x48 pictures (${FACE_PIXELS} bytes each)`,
    );
  }
  const count = images.length / FACE_PIXELS;
  const [header, ...rows] = parseCsv(metaText);
  if (!header) throw new Error('meta file is empty');
  const col = (name: string) => header.indexOf(name);
  const emotion = col('emotion');
  if (emotion < 0) throw new Error(`meta file has no "emotion" column (columns: ${header.join(', ')})`);
  const usageCol = col('usage');
  if (usage !== undefined && usageCol < 0)
    throw new Error('--usage given but the meta file has no "usage" column');
  const indexCol = col('index');
  const votes = FERPLUS.map(col);
  const set: FaceSet = { faces: [], labels: [], ferplusMajority: [] };
  rows.forEach((row, r) => {
    const label = Number(row[emotion]);
    if (!Number.isInteger(label) || label < -1 || label > 6) {
      throw new Error(`meta row ${r + 2}: emotion "${row[emotion] ?? ''}" is not an integer from -1 to 6`);
    }
    if (label === -1 || (usage !== undefined && row[usageCol] !== usage)) return;
    const index = indexCol >= 0 ? Number(row[indexCol]) : r;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new Error(`meta row ${r + 2}: picture ${index} is outside the images file (${count} pictures)`);
    }
    set.faces.push(images.subarray(index * FACE_PIXELS, (index + 1) * FACE_PIXELS));
    set.labels.push(label);
    const v = votes.map((c) => (c >= 0 ? Number(row[c]) || 0 : 0));
    const top = Math.max(...v);
    // a strict majority of the seven emotion votes, as FER+ defines its majority label
    const total = v.reduce((a, b) => a + b, 0);
    set.ferplusMajority.push(total > 0 && top > total / 2 ? v.indexOf(top) : -1);
  });
  if (set.faces.length === 0)
    throw new Error(`no labelled pictures${usage ? ` with usage "${usage}"` : ''} in the meta file`);
  return set;
}
