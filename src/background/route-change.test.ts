import { describe, expect, it } from 'vitest';
import { routeChange, sessionGoesOn } from './route-change';

describe('routeChange', () => {
  it('keeps a page that did not move', () => {
    expect(routeChange('https://meet.example.com/a', 'https://meet.example.com/a')).toBe('unchanged');
  });

  it('counts a path, query or hash change within the origin as the same page going on', () => {
    const from = 'https://meet.example.com/landing';
    expect(routeChange(from, 'https://meet.example.com/abc-defg-hij')).toBe('same-origin');
    expect(routeChange(from, 'https://meet.example.com/landing?authuser=1')).toBe('same-origin');
    expect(routeChange(from, 'https://meet.example.com/landing#chat')).toBe('same-origin');
    expect(sessionGoesOn(from, 'https://meet.example.com/x')).toBe(true);
  });

  it('ends the page on another scheme, host or port', () => {
    const from = 'https://meet.example.com/a';
    expect(routeChange(from, 'https://example.org/a')).toBe('other-origin');
    expect(routeChange(from, 'http://meet.example.com/a')).toBe('other-origin');
    expect(routeChange(from, 'https://meet.example.com:8443/a')).toBe('other-origin');
    expect(routeChange(from, 'https://evil.meet.example.com.attacker.test/a')).toBe('other-origin');
    expect(sessionGoesOn(from, 'https://example.org/a')).toBe(false);
  });

  it('treats an unknown previous page and URLs without an origin as another origin', () => {
    expect(routeChange(undefined, 'https://meet.example.com/a')).toBe('other-origin');
    expect(routeChange('about:blank', 'about:blank#x')).toBe('other-origin');
    expect(routeChange('data:text/html,a', 'data:text/html,b')).toBe('other-origin');
    expect(routeChange('not a url', 'not a url either')).toBe('other-origin');
  });
});
