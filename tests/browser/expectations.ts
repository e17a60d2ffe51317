import { expect } from 'vitest';
import type { snapshotFaces } from './page-probes.ts';

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
