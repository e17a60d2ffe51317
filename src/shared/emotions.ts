/**
 * The seven FER2013 expressions, in the model's output order, with what the UI needs to show them:
 * a word, a colour (never the only cue: every chart also names the emotion) and a valence weight.
 */
export const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;
export type Emotion = (typeof EMOTIONS)[number];

/**
 * Valence (pleasant +1 ... unpleasant -1) of each expression: a heuristic for the "mood" line and
 * trend, not a measurement. The valence of a sample is the probability-weighted sum.
 */
export const VALENCE: Record<Emotion, number> = {
  angry: -0.8,
  disgust: -0.7,
  fear: -0.6,
  happy: 1,
  sad: -0.7,
  surprise: 0.2,
  neutral: 0,
};

/** Colours that stay apart for common colour-vision deficiencies (Okabe-Ito based). */
export const EMOTION_COLOURS: Record<Emotion, string> = {
  angry: '#d55e00',
  disgust: '#6b8e23',
  fear: '#cc79a7',
  happy: '#e69f00',
  sad: '#0072b2',
  surprise: '#56b4e9',
  neutral: '#999999',
};

/** The expressions counted as negative in the summary's notable moments. */
export const NEGATIVE: readonly Emotion[] = ['angry', 'disgust', 'fear', 'sad'];

export function valenceOf(p: ArrayLike<number>): number {
  let v = 0;
  EMOTIONS.forEach((e, i) => (v += (p[i] ?? 0) * VALENCE[e]));
  return v;
}

export function dominantOf(p: ArrayLike<number>): { emotion: Emotion; index: number; p: number } {
  let best = 0;
  for (let i = 1; i < EMOTIONS.length; i++) if ((p[i] ?? 0) > (p[best] ?? 0)) best = i;
  return { emotion: EMOTIONS[best] as Emotion, index: best, p: p[best] ?? 0 };
}
