import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings, sitePattern, validateSettingsPatch } from './settings';

describe('settings', () => {
  it('falls back to the default for each missing or invalid value, keeping the valid ones', () => {
    expect(parseSettings({})).toEqual(DEFAULT_SETTINGS);
    const s = parseSettings({
      samplingRate: 9,
      overlayStyle: 'compact',
      backend: 'tpu',
      autoStart: ['https://meet.google.com/*'],
      retentionDays: 7,
      smoothing: 'off',
      frameBudget: 4,
      framePath: 'webrtc',
      unknown: 1,
    });
    expect(s).toEqual({
      ...DEFAULT_SETTINGS,
      overlayStyle: 'compact',
      autoStart: ['https://meet.google.com/*'],
      retentionDays: 7,
      smoothing: 'off',
      frameBudget: 4,
    });
    expect(parseSettings({ framePath: 'jpeg', frameBudget: 0 })).toMatchObject({
      framePath: 'jpeg',
      frameBudget: DEFAULT_SETTINGS.frameBudget,
    });
    expect(parseSettings({ autoStart: [1, 2] }).autoStart).toEqual([]);
  });

  it('refuses a change with a value out of range, naming the setting', () => {
    expect(validateSettingsPatch({ samplingRate: 1 })).toEqual({ samplingRate: 1 });
    expect(() => validateSettingsPatch({ samplingRate: 0 })).toThrow(
      /samplingRate: 0 is not an allowed value/,
    );
    expect(() => validateSettingsPatch({ retentionDays: 1000 })).toThrow(/retentionDays/);
  });

  it('turns a typed site into a host match pattern, refusing what is not a web site', () => {
    expect(sitePattern('meet.google.com')).toBe('https://meet.google.com/*');
    expect(sitePattern(' https://teams.microsoft.com/v2/ ')).toBe('https://teams.microsoft.com/*');
    expect(sitePattern('http://localhost:5173')).toBe('http://localhost/*');
    expect(() => sitePattern('file:///etc')).toThrow(/only http and https/);
    expect(() => sitePattern('not a site')).toThrow(/not a site address/);
  });
});
