import { describe, expect, it } from 'vitest';
import { patternMatches } from './match-pattern';

describe('patternMatches', () => {
  it('matches host patterns on any port and path', () => {
    expect(patternMatches('http://localhost/*', 'http://localhost:5180/fixtures/a.html')).toBe(true);
    expect(patternMatches('https://meet.google.com/*', 'https://meet.google.com/abc?x=1')).toBe(true);
  });

  it('keeps schemes and hosts apart', () => {
    expect(patternMatches('https://meet.google.com/*', 'http://meet.google.com/abc')).toBe(false);
    expect(patternMatches('http://localhost/*', 'http://localhost.evil.com/')).toBe(false);
    expect(patternMatches('*://*.zoom.us/*', 'https://app.zoom.us/wc/1')).toBe(true);
    expect(patternMatches('*://*.zoom.us/*', 'https://zoom.us/')).toBe(true);
    expect(patternMatches('*://*.zoom.us/*', 'https://notzoom.us/')).toBe(false);
  });

  it('honours the path part and rejects nonsense', () => {
    expect(patternMatches('https://example.com/meet/*', 'https://example.com/meet/room')).toBe(true);
    expect(patternMatches('https://example.com/meet/*', 'https://example.com/other')).toBe(false);
    expect(patternMatches('nonsense', 'https://example.com/')).toBe(false);
    expect(patternMatches('https://example.com/*', 'not a url')).toBe(false);
  });
});
