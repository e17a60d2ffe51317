import { expect } from 'vitest';
import type { FaceBoxError, snapshotFaces } from './page-probes.ts';
import { until } from './wait.ts';

const CLASSES = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];

/** Every drawn face has a readable label and a box that sits inside its tile at a plausible size. */
export function expectPlausibleLabels(layers: ReturnType<typeof snapshotFaces>): void {
  for (const { layer, faces } of layers.filter((l) => l.faces.length > 0)) {
    for (const f of faces) {
      expect(f.text).toMatch(/^(angry|disgust|fear|happy|sad|surprise|neutral) \d{1,3}%$/);
      expect(CLASSES).toContain(f.dominant);
      const cx = f.box.x + f.box.width / 2;
      const cy = f.box.y + f.box.height / 2;
      expect(cx).toBeGreaterThan(layer.x);
      expect(cx).toBeLessThan(layer.x + layer.width);
      expect(cy).toBeGreaterThan(layer.y);
      expect(cy).toBeLessThan(layer.y + layer.height);
      expect(f.box.width / layer.width).toBeGreaterThan(0.15);
      expect(f.box.width / layer.width).toBeLessThan(0.9);
    }
  }
}

/**
 * Waits until each of `tiles` videos has a face box that contains its face and is centred within
 * `tol` px of it (`read` gives faceBoxErrors for the page); on timeout, says how far off each was.
 */
export async function expectFacesPlaced(
  read: () => Promise<FaceBoxError[]>,
  tiles: number,
  tol: number,
  timeout: number,
): Promise<void> {
  let last: FaceBoxError[] = [];
  try {
    await until(
      `a face box within ${String(tol)} px of each of ${String(tiles)} faces`,
      async () => {
        last = await read();
        return last.length === tiles && last.every((e) => e.inside && e.distance <= tol);
      },
      timeout,
      500,
    );
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}; last seen: ${JSON.stringify(last)}`,
    );
  }
}
