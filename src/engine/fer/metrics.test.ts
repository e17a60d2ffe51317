import { describe, expect, it } from 'vitest';
import { classificationReport, confusionMatrix, expectedCalibrationError, formatReport } from './metrics';

describe('classificationReport', () => {
  // 3 classes; hand-computed: class 0: tp 2, fp 1, fn 1; class 1: tp 1, fp 1, fn 0; class 2: tp 0, fp 0, fn 1
  const truth = [0, 0, 0, 1, 2];
  const pred = [0, 0, 1, 1, 0];
  const r = classificationReport(truth, pred, ['a', 'b', 'c']);

  it('computes the confusion matrix with true labels as rows', () => {
    expect(r.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]);
  });

  it('computes precision, recall, F1 and support per class', () => {
    expect(r.per_class.a).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 });
    expect(r.per_class.b).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
    expect(r.per_class.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
  });

  it('computes accuracy, macro and weighted averages', () => {
    expect(r.accuracy).toBeCloseTo(3 / 5);
    expect(r.macro_f1).toBeCloseTo((2 / 3 + 2 / 3 + 0) / 3);
    expect(r.weighted_avg.f1).toBeCloseTo(((2 / 3) * 3 + (2 / 3) * 1) / 5);
  });

  it('formats a table that names every class', () => {
    const text = formatReport(r, ['a', 'b', 'c']);
    expect(text).toMatch(/macro avg/);
    expect(text).toMatch(/weighted avg/);
    expect(text.split('\n').filter((l) => /^\s+[abc] +\d/.test(l))).toHaveLength(6);
  });

  it('refuses labels out of range and mismatched lengths', () => {
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow(/out of range/);
    expect(() => confusionMatrix([0], [0, 0], 3)).toThrow(/length/);
  });
});

describe('expectedCalibrationError', () => {
  it('is zero when confidence equals accuracy in every bin, and large when overconfident', () => {
    const p = (c: number) => new Float32Array([c, 1 - c]);
    // confidence 0.75 in one bin, 3 of 4 right
    expect(expectedCalibrationError([p(0.75), p(0.75), p(0.75), p(0.75)], [0, 0, 0, 1])).toBeCloseTo(0, 6);
    // confidence 0.99, half right
    expect(expectedCalibrationError([p(0.99), p(0.99)], [0, 1])).toBeCloseTo(0.49, 6);
  });
});
