import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN, safeRelayState } from '../../service/domain/login.js';

describe('RelayState after login', () => {
  it.each(['/home', '/mail/register', '/mail/change', '/mail/sent', '/manual', '/manual#logout'])('returns to our own screen %s', (path) => {
    expect(safeRelayState(path)).toBe(path);
  });

  it.each([
    ['an absolute URL', 'https://evil.example/home'],
    ['a scheme-relative URL', '//evil.example/home'],
    ['a doubled slash inside', '/home//evil'],
    ['a backslash', '/\\evil.example'],
    ['backslashes only', '\\\\evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,x'],
    ['a relative path without slash', 'home'],
    ['an encoded slash', '/%2F%2Fevil.example'],
    ['an encoded path', '/mail%2Fregister'],
    ['a path outside the allow-list', '/admin'],
    ['a prefix trick', '/homepage'],
    ['a query string', '/home?next=https://evil.example'],
    ['dot segments', '/mail/../admin'],
    ['a tab or newline', '/home\n'],
    ['an empty string', ''],
    ['a fragment with odd characters', '/manual#<script>'],
    ['a very long value', `/home#${'a'.repeat(300)}`],
  ])('falls back to /home for %s', (_label, value) => {
    expect(safeRelayState(value)).toBe(DEFAULT_RETURN);
  });

  it('falls back to /home when the value is not a string', () => {
    expect(safeRelayState(undefined)).toBe('/home');
    expect(safeRelayState(['/home', '/admin'])).toBe('/home');
    expect(safeRelayState({ path: '/home' })).toBe('/home');
  });
});
