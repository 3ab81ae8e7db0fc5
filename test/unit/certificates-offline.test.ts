import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  encodeOfflineBody,
  generateOfflineKey,
  holderNameHash,
  keyIdOf,
  offlineVerifyUrl,
  publishedKeySet,
  signOfflinePayload,
  type OfflinePayloadFields,
} from '../../service/domain/certificates/offline-payload.js';
import { loadOrCreateOfflineKey, OFFLINE_KEY_FILE } from '../../service/adapters/files/offline-key.js';
import { checkCharacter } from '../../service/domain/certificates/numbers.js';
import {
  base64urlDecode,
  base64urlEncode,
  decodeOfflinePayload,
  holderNameHash as browserHolderNameHash,
  matchesHolder,
  payloadFromHash,
  verifyOfflinePayload,
} from '../../renderer/src/verify/offline.js';

const key = generateOfflineKey();
/** A valid certificate number of 2026 from its 7 random characters. */
const num = (seven: string) => `SHM-2026-${seven.slice(0, 4)}-${seven.slice(4)}${checkCharacter(`2026${seven}`)}`;
const NUMBER = num('7K3MQ9P');
const keys = publishedKeySet([key]).keys;

function fields(overrides: Partial<OfflinePayloadFields> = {}): OfflinePayloadFields {
  return {
    v: 1,
    number: NUMBER,
    typeCode: 'transcript',
    holderNameHash: holderNameHash('山田 花子', '2004-05-14'),
    issueDate: '2026-11-24',
    keyId: key.keyId,
    ...overrides,
  };
}

describe('offline verification payload', () => {
  it('signed by the service, verified by the browser module with the published key', async () => {
    const payload = signOfflinePayload(fields(), key.privateKey);
    expect(await verifyOfflinePayload(payload, keys)).toEqual({ valid: true, fields: fields() });
  });

  it('is small enough for a readable QR code (about 150 base64url characters)', () => {
    const payload = signOfflinePayload(fields({ typeCode: 'enrollment' }), key.privateKey);
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(payload.length).toBeLessThanOrEqual(150);
    const longest = signOfflinePayload(fields({ typeCode: 'abcdefghijklmnop' }), key.privateKey);
    expect(longest.length).toBe(155);
  });

  it('changing any byte of the payload makes it invalid', async () => {
    const bytes = base64urlDecode(signOfflinePayload(fields(), key.privateKey))!;
    for (let i = 0; i < bytes.length; i++) {
      const tampered = Uint8Array.from(bytes);
      tampered[i]! ^= 0x01;
      const result = await verifyOfflinePayload(base64urlEncode(tampered), keys);
      expect(result.valid, `byte ${i}`).toBe(false);
    }
  });

  it('re-signing other field values with another key does not pass as the university', async () => {
    const forger = generateOfflineKey();
    const forged = signOfflinePayload(fields({ keyId: key.keyId, number: num('AAAAAAA') }), forger.privateKey);
    expect(await verifyOfflinePayload(forged, keys)).toEqual({ valid: false, reason: 'badSignature' });
  });

  it('a changed field (number, type, holder, date) under the original signature is invalid', async () => {
    const signature = base64urlDecode(signOfflinePayload(fields(), key.privateKey))!.subarray(-64);
    const variants: Partial<OfflinePayloadFields>[] = [
      { number: num('7K3MQ9Q') },
      { typeCode: 'graduation' },
      { holderNameHash: holderNameHash('山田 花男', '2004-05-14') },
      { issueDate: '2026-11-25' },
    ];
    for (const variant of variants) {
      const body = encodeOfflineBody(fields(variant));
      const payload = base64urlEncode(Uint8Array.from([...body, ...signature]));
      expect(await verifyOfflinePayload(payload, keys)).toEqual({ valid: false, reason: 'badSignature' });
    }
  });

  it('a key that is not published is reported as unknown', async () => {
    const other = generateOfflineKey();
    const payload = signOfflinePayload(fields({ keyId: other.keyId }), other.privateKey);
    expect(await verifyOfflinePayload(payload, keys)).toEqual({ valid: false, reason: 'unknownKey' });
    expect(await verifyOfflinePayload(payload, publishedKeySet([key, other]).keys)).toMatchObject({ valid: true });
  });

  it('a published key under the right key ID but with other key bytes fails the signature', async () => {
    const payload = signOfflinePayload(fields(), key.privateKey);
    const wrong = [{ kid: key.keyId, x: generateOfflineKey().publicKeyRaw }];
    expect(await verifyOfflinePayload(payload, wrong)).toEqual({ valid: false, reason: 'badSignature' });
  });

  it('garbage, truncated payloads and other versions are refused without throwing', async () => {
    const payload = signOfflinePayload(fields(), key.privateKey);
    expect(await verifyOfflinePayload('', keys)).toEqual({ valid: false, reason: 'malformed' });
    expect(await verifyOfflinePayload('not base64!', keys)).toEqual({ valid: false, reason: 'malformed' });
    expect(await verifyOfflinePayload(payload.slice(0, -4), keys)).toEqual({ valid: false, reason: 'malformed' });
    expect(await verifyOfflinePayload(payload + 'AAAA', keys)).toEqual({ valid: false, reason: 'malformed' });
    const v2 = base64urlDecode(payload)!;
    v2[0] = 2;
    expect(await verifyOfflinePayload(base64urlEncode(v2), keys)).toEqual({ valid: false, reason: 'unsupportedVersion' });
  });

  it('the fields are laid out as documented', () => {
    const body = encodeOfflineBody(fields());
    expect(body[0]).toBe(1);
    expect(body.subarray(1, 5).toString('hex')).toBe(key.keyId);
    expect(body.readUInt16BE(5)).toBe(Date.UTC(2026, 10, 24) / 86_400_000);
    expect(body.subarray(7, 23).toString('base64url')).toBe(fields().holderNameHash);
    expect(body.subarray(23, 35).toString('ascii')).toBe(NUMBER.replace(/^SHM-|-/g, ''));
    expect(body[35]).toBe('transcript'.length);
    expect(body.subarray(36).toString('ascii')).toBe('transcript');
    const decoded = decodeOfflinePayload(signOfflinePayload(fields(), key.privateKey));
    expect('fields' in decoded && decoded.fields).toEqual(fields());
  });

  it('refuses to sign fields that do not fit the format', () => {
    expect(() => signOfflinePayload(fields({ number: 'SHM-26-1' }), key.privateKey)).toThrow(RangeError);
    const badCheck = NUMBER.slice(0, -1) + (NUMBER.endsWith('Z') ? 'Y' : 'Z');
    expect(() => signOfflinePayload(fields({ number: badCheck }), key.privateKey)).toThrow(RangeError);
    expect(() => signOfflinePayload(fields({ typeCode: 'A' }), key.privateKey)).toThrow(RangeError);
    expect(() => signOfflinePayload(fields({ issueDate: '2026-02-30' }), key.privateKey)).toThrow(RangeError);
    expect(() => signOfflinePayload(fields({ holderNameHash: 'short' }), key.privateKey)).toThrow(RangeError);
    expect(() => signOfflinePayload(fields({ keyId: 'XYZ' }), key.privateKey)).toThrow(RangeError);
  });
});

describe('holder check', () => {
  it('the browser and the service hash the name and birth date alike', async () => {
    expect(browserHolderNameHash('山田 花子', '2004-05-14')).toBe(holderNameHash('山田 花子', '2004-05-14'));
  });

  it('matches the name as typed with or without spaces, full-width space, and dates typed several ways', async () => {
    const signed = fields();
    for (const name of ['山田 花子', '山田花子', '山田　花子', ' 山田  花子 ']) expect(matchesHolder(signed, name, '2004-05-14')).toBe(true);
    for (const date of ['2004/5/14', '２００４－０５－１４', '2004年5月14日']) expect(matchesHolder(signed, '山田花子', date)).toBe(true);
  });

  it('another name or birth date does not match', async () => {
    const signed = fields();
    expect(matchesHolder(signed, '山田 花男', '2004-05-14')).toBe(false);
    expect(matchesHolder(signed, '山田 花子', '2004-05-15')).toBe(false);
    expect(matchesHolder(signed, '山田 花子', '2004-02-30')).toBe(false);
    expect(matchesHolder(signed, '', '2004-05-14')).toBe(false);
  });
});

describe('offline signing key', () => {
  it('is generated into the data folder on first start and loaded unchanged afterwards', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-offline-'));
    const first = await loadOrCreateOfflineKey(dir);
    const file = path.join(dir, OFFLINE_KEY_FILE);
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateOfflineKey(dir);
    expect(again.keyId).toBe(first.keyId);
    expect(again.publicKeyRaw).toBe(first.publicKeyRaw);
    const payload = signOfflinePayload(fields({ keyId: again.keyId }), again.privateKey);
    expect(await verifyOfflinePayload(payload, publishedKeySet([first]).keys)).toMatchObject({ valid: true });
  });

  it('two starts at once end with one key', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-offline-'));
    const [a, b] = await Promise.all([loadOrCreateOfflineKey(dir), loadOrCreateOfflineKey(dir)]);
    expect(a.keyId).toBe(b.keyId);
  });

  it('publishes the raw 32-byte public key as an Ed25519 JWK named by its key ID', () => {
    expect(publishedKeySet([key])).toEqual({
      keys: [{ kty: 'OKP', crv: 'Ed25519', x: key.publicKeyRaw, kid: key.keyId, use: 'sig', alg: 'EdDSA' }],
    });
    expect(Buffer.from(key.publicKeyRaw, 'base64url')).toHaveLength(32);
    expect(keyIdOf(Buffer.from(key.publicKeyRaw, 'base64url'))).toMatch(/^[0-9a-f]{8}$/);
  });

  it('the QR URL carries the payload in the fragment', () => {
    const url = offlineVerifyUrl('https://shomei.example.ac.jp/', 'abc_-');
    expect(url).toBe('https://shomei.example.ac.jp/verify#c=abc_-');
    expect(payloadFromHash(new URL(url).hash)).toBe('abc_-');
    expect(payloadFromHash('')).toBeNull();
  });
});

describe('base64url helpers of the browser module', () => {
  it('agree with Node for every length and refuse non-canonical text', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      const text = Buffer.from(bytes).toString('base64url');
      expect(base64urlEncode(bytes)).toBe(text);
      expect(Buffer.from(base64urlDecode(text)!)).toEqual(Buffer.from(bytes));
    }
    expect(base64urlDecode('AB')).toBeNull();
    expect(base64urlDecode('A')).toBeNull();
    expect(base64urlDecode('AA==')).toBeNull();
  });
});

describe('browsers without WebCrypto', () => {
  it('verify payloads and match holders where crypto.subtle is missing (plain http from another host)', async () => {
    vi.stubGlobal('crypto', undefined);
    try {
      expect(globalThis.crypto).toBeUndefined();
      const payload = signOfflinePayload(fields(), key.privateKey);
      expect(await verifyOfflinePayload(payload, keys)).toEqual({ valid: true, fields: fields() });
      const bytes = base64urlDecode(payload)!;
      bytes[10]! ^= 0x01; // inside the holder hash
      expect(await verifyOfflinePayload(base64urlEncode(bytes), keys)).toEqual({ valid: false, reason: 'badSignature' });
      expect(matchesHolder(fields(), '山田　花子', '2004-05-14')).toBe(true);
      expect(matchesHolder(fields(), '山田　花男', '2004-05-14')).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
