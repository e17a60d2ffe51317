/** Classification metrics for the evaluate command and the model card (pure). */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  n: number;
  accuracy: number;
  macro_f1: number;
  per_class: Record<string, ClassScores>;
  macro_avg: ClassScores;
  weighted_avg: ClassScores;
  /** confusion[true][predicted] */
  confusion: number[][];
}

export function confusionMatrix(
  truth: readonly number[],
  predicted: readonly number[],
  k: number,
): number[][] {
  if (truth.length !== predicted.length) throw new Error('truth and predictions differ in length');
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  truth.forEach((t, i) => {
    const p = predicted[i] as number;
    if (t < 0 || t >= k || p < 0 || p >= k) throw new Error(`label out of range at ${i}: ${t} / ${p}`);
    (m[t] as number[])[p] = ((m[t] as number[])[p] as number) + 1;
  });
  return m;
}

const div = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function classificationReport(
  truth: readonly number[],
  predicted: readonly number[],
  classes: readonly string[],
): ClassificationReport {
  const k = classes.length;
  const confusion = confusionMatrix(truth, predicted, k);
  const per: ClassScores[] = classes.map((_, c) => {
    const tp = confusion[c]?.[c] ?? 0;
    const support = (confusion[c] ?? []).reduce((a, b) => a + b, 0);
    const predictedC = confusion.reduce((a, row) => a + (row[c] ?? 0), 0);
    const precision = div(tp, predictedC);
    const recall = div(tp, support);
    return { precision, recall, f1: div(2 * precision * recall, precision + recall), support };
  });
  const n = truth.length;
  const correct = confusion.reduce((a, row, c) => a + (row[c] ?? 0), 0);
  const mean = (f: (s: ClassScores) => number) => per.reduce((a, s) => a + f(s), 0) / k;
  const weighted = (f: (s: ClassScores) => number) =>
    div(
      per.reduce((a, s) => a + f(s) * s.support, 0),
      n,
    );
  const macro_avg = {
    precision: mean((s) => s.precision),
    recall: mean((s) => s.recall),
    f1: mean((s) => s.f1),
    support: n,
  };
  const weighted_avg = {
    precision: weighted((s) => s.precision),
    recall: weighted((s) => s.recall),
    f1: weighted((s) => s.f1),
    support: n,
  };
  return {
    n,
    accuracy: div(correct, n),
    macro_f1: macro_avg.f1,
    per_class: Object.fromEntries(classes.map((c, i) => [c, per[i] as ClassScores])),
    macro_avg,
    weighted_avg,
    confusion,
  };
}

/** Expected calibration error with equal-width confidence bins. */
export function expectedCalibrationError(
  probs: readonly Float32Array[],
  truth: readonly number[],
  bins = 15,
): number {
  const sums = Array.from({ length: bins }, () => ({ n: 0, conf: 0, correct: 0 }));
  probs.forEach((p, i) => {
    let best = 0;
    for (let j = 1; j < p.length; j++) if ((p[j] as number) > (p[best] as number)) best = j;
    const conf = p[best] as number;
    const bin = sums[Math.min(bins - 1, Math.max(0, Math.ceil(conf * bins) - 1))] as {
      n: number;
      conf: number;
      correct: number;
    };
    bin.n++;
    bin.conf += conf;
    bin.correct += best === truth[i] ? 1 : 0;
  });
  return sums.reduce(
    (a, b) => a + (b.n === 0 ? 0 : (b.n / probs.length) * Math.abs(b.correct / b.n - b.conf / b.n)),
    0,
  );
}

export function formatReport(r: ClassificationReport, classes: readonly string[]): string {
  const w = Math.max(12, ...classes.map((c) => c.length));
  const row = (name: string, s: ClassScores) =>
    `${name.padStart(w)} ${s.precision.toFixed(3).padStart(9)} ${s.recall.toFixed(3).padStart(9)} ${s.f1.toFixed(3).padStart(9)} ${String(s.support).padStart(9)}`;
  const lines = [
    `${''.padStart(w)} ${'precision'.padStart(9)} ${'recall'.padStart(9)} ${'f1-score'.padStart(9)} ${'support'.padStart(9)}`,
    '',
  ];
  classes.forEach((c) => lines.push(row(c, r.per_class[c] as ClassScores)));
  lines.push(
    '',
    `${'accuracy'.padStart(w)} ${''.padStart(9)} ${''.padStart(9)} ${r.accuracy.toFixed(3).padStart(9)} ${String(r.n).padStart(9)}`,
  );
  lines.push(
    row('macro avg', r.macro_avg),
    row('weighted avg', r.weighted_avg),
    '',
    'confusion matrix (rows: true, columns: predicted)',
  );
  const cw = Math.max(6, ...classes.map((c) => c.length + 1));
  lines.push(`${''.padStart(w)} ${classes.map((c) => c.padStart(cw)).join('')}`);
  r.confusion.forEach((rowValues, i) =>
    lines.push(`${(classes[i] ?? '').padStart(w)} ${rowValues.map((v) => String(v).padStart(cw)).join('')}`),
  );
  return lines.join('\n');
}
