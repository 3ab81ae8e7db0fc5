import { describe, expect, it } from 'vitest';
import { describeClient } from '../../service/domain/share-links/model.js';
import { normalizePin, shareLinkInputErrors } from '../../service/shared/share-links.js';

describe('the client a share link’s holder sees in the access log', () => {
  it.each([
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 'chrome', 'android'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
      'safari',
      'iphone',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1',
      'chrome',
      'iphone',
    ],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'edge', 'windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:133.0) Gecko/20100101 Firefox/133.0', 'firefox', 'macos'],
    [
      'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
      'samsung',
      'android',
    ],
    ['curl/8.5.0', 'other', 'other'],
  ])('names %s as a browser family and a system, nothing more', (ua, browser, os) => {
    expect(describeClient(ua)).toEqual({ browser, os });
  });

  it('says other for a request without a User-Agent', () => {
    expect(describeClient(undefined)).toEqual({ browser: 'other', os: 'other' });
  });
});

describe('a new share link’s input', () => {
  it('takes 1 to 90 days and a PIN of 4 to 8 digits, full-width digits too', () => {
    expect(shareLinkInputErrors({ days: 1, pin: '１２３４' })).toEqual({});
    expect(shareLinkInputErrors({ days: 90, pin: '' })).toEqual({});
    expect(normalizePin(' １２３４ ')).toBe('1234');
    expect(normalizePin('')).toBeNull();
  });

  it('refuses other days, other PINs and a long note with field codes', () => {
    expect(shareLinkInputErrors({ days: 0 })).toEqual({ days: 'shareLink.daysRange' });
    expect(shareLinkInputErrors({ days: 1.5 })).toEqual({ days: 'shareLink.daysRange' });
    expect(shareLinkInputErrors({ days: 91, pin: '123456789', label: 'x'.repeat(61) })).toEqual({
      days: 'shareLink.daysRange',
      pin: 'shareLink.pinFormat',
      label: 'tooLong',
    });
  });
});
