import { describe, expect, it } from 'vitest';
import { choiceForThisBrowser, parseEngineChoice } from './engine-choice';

const ua = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.8078.114 Safari/537.36';

describe('parseEngineChoice', () => {
  it('reads a choice from storage or from its JSON in a URL', () => {
    const choice = { browser: ua, backend: 'wasm', detector: 'CPU' };
    expect(parseEngineChoice(choice)).toEqual(choice);
    expect(parseEngineChoice(JSON.stringify(choice))).toEqual(choice);
  });

  it('refuses anything else', () => {
    for (const bad of [
      undefined,
      null,
      '{',
      { browser: ua, backend: 'metal', detector: 'CPU' },
      { browser: ua, backend: 'wasm', detector: 'NPU' },
      { browser: '', backend: 'wasm', detector: 'CPU' },
      { browser: 'x'.repeat(501), backend: 'wasm', detector: 'CPU' },
    ])
      expect(parseEngineChoice(bad)).toBeUndefined();
  });
});

describe('choiceForThisBrowser', () => {
  it('keeps a choice only in the browser and version that made it', () => {
    const choice = { browser: ua, backend: 'webgl' as const, detector: 'GPU' as const };
    expect(choiceForThisBrowser(choice, ua)).toBe(choice);
    expect(choiceForThisBrowser(choice, ua.replace('156.0.8078.114', '157.0.1.2'))).toBeUndefined();
  });
});
