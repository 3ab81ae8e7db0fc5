import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateOfflineKey } from '../../service/domain/certificates/offline-payload.js';
import { certificateCredential, credentialUrls, signCredential } from '../../service/domain/credentials/credential.js';
import { parseCompactJws, jwsSignedBy } from '../../service/domain/credentials/jws.js';
import { encodeStatusList, randomStatusIndex, STATUS_LIST_BITS, statusBit, statusListPosition } from '../../service/domain/credentials/status-list.js';
import { issuedCertificate } from '../support/verify-fixtures.js';

/** The bitstring as the specification has a verifier read it: multibase `u`, base64url, gunzip. */
const bitsOf = (encoded: string) => gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));

describe('Bitstring Status List encoding', () => {
  it('sets the bit of each revoked index, most significant bit of each byte first, in a list of 16 KB', () => {
    const bits = bitsOf(encodeStatusList(1, [0, 9, STATUS_LIST_BITS - 1]));
    expect(bits.length).toBe(16_384);
    expect([bits[0], bits[1], bits[2], bits.at(-1)]).toEqual([0x80, 0x40, 0, 0x01]);
    expect(bits.reduce((n, b) => n + (b === 0 ? 0 : 1), 0)).toBe(3);
  });

  it('puts indexes past the first list into the next, at the same position', () => {
    expect(statusListPosition(STATUS_LIST_BITS + 5)).toEqual({ list: 2, position: 5 });
    const second = encodeStatusList(2, [3, STATUS_LIST_BITS + 5]);
    expect(statusBit(second, 5)).toBe(1);
    expect(statusBit(second, 3)).toBe(0);
    expect(bitsOf(encodeStatusList(1, [STATUS_LIST_BITS + 5])).every((b) => b === 0)).toBe(true);
  });

  it('draws a new index over as many whole lists as keep them at most half full', () => {
    const draw = (taken: number) => Array.from({ length: 2_000 }, () => randomStatusIndex(taken));
    const first = draw(0);
    expect(Math.max(...first)).toBeLessThan(STATUS_LIST_BITS);
    // Spread over the whole list, not counted up from 0.
    expect(first.filter((i) => i >= STATUS_LIST_BITS / 2).length).toBeGreaterThan(800);
    expect(Math.max(...draw(STATUS_LIST_BITS / 2 - 1))).toBeLessThan(STATUS_LIST_BITS);
    const later = draw(STATUS_LIST_BITS / 2);
    expect(Math.max(...later)).toBeLessThan(2 * STATUS_LIST_BITS);
    expect(later.filter((i) => i >= STATUS_LIST_BITS).length).toBeGreaterThan(800);
  });

  it('reads nothing from what is not an encoded list', () => {
    expect(statusBit('zAAAA', 0)).toBeNull();
    expect(statusBit('uAAAA', 0)).toBeNull();
    expect(statusBit(encodeStatusList(1, []), STATUS_LIST_BITS)).toBeNull();
  });
});

describe('a certificate credential', () => {
  const urls = credentialUrls('https://shomei.example.ac.jp/');
  const issuerName = { ja: 'デモ大学', en: 'Demo University' };
  const typeName = { ja: '学割証', en: 'Student Discount Certificate' };

  it('states validity to the end of the last day in Japan time, the name as printed on an English certificate, and its status entry', () => {
    const certificate = issuedCertificate({ language: 'en', holderNameRoman: 'Taro Yamada', validUntil: '2027-03-07' });
    const vc = certificateCredential({ certificate, typeName, issuerName, statusIndex: STATUS_LIST_BITS + 7, urls }) as Record<string, any>;
    expect(vc.validUntil).toBe('2027-03-07T23:59:59+09:00');
    expect(new Date(vc.validUntil).toISOString()).toBe('2027-03-07T14:59:59.000Z');
    expect(vc.credentialSubject.name).toBe('Taro Yamada');
    expect(vc.credentialStatus).toEqual({
      id: 'https://shomei.example.ac.jp/credentials/status/2#7',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '7',
      statusListCredential: 'https://shomei.example.ac.jp/credentials/status/2',
    });
  });

  it('is a compact JWS that the key verifies and another key does not', () => {
    const key = generateOfflineKey();
    const jws = signCredential(certificateCredential({ certificate: issuedCertificate(), typeName, issuerName, statusIndex: 0, urls }), key);
    const parsed = parseCompactJws(jws)!;
    expect(parsed.header).toEqual({ alg: 'EdDSA', kid: key.keyId, typ: 'vc+jwt' });
    expect(jwsSignedBy(parsed, key.publicKey)).toBe(true);
    expect(jwsSignedBy(parsed, generateOfflineKey().publicKey)).toBe(false);
    expect(parseCompactJws('a.b')).toBeNull();
    expect(parseCompactJws('eyJ9.eyJ9.AAAA')).toBeNull();
  });
});
