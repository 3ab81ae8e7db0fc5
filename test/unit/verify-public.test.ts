import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCertificateStore, type LowdbCertificateStore } from '../../service/adapters/lowdb/certificate-store.js';
import { formatVerificationCode } from '../../service/domain/certificates/numbers.js';
import { DomainError } from '../../service/domain/errors.js';
import { normalizeVerifyInput, verifyCertificate } from '../../service/domain/verify/public-verification.js';
import { verifyResponse } from '../../service/http/presenters/verify.js';
import { enrollmentType, issuedCertificate, revoked } from '../support/verify-fixtures.js';

const toFullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

function fieldsOf(fn: () => unknown): Record<string, string> | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.fields;
    throw e;
  }
  return undefined;
}

describe('normalizeVerifyInput', () => {
  const number = issuedCertificate().number;
  const code = 'ABCDE12345';

  it('accepts the number and code as people type them: spaces, hyphens, lower case, full width, O for 0', () => {
    const loose = toFullWidth(number.toLowerCase().replace(/-/g, ' '));
    expect(normalizeVerifyInput(loose, ' abcde-12345 ')).toEqual({ number, code });
    expect(normalizeVerifyInput(number.slice(4), toFullWidth(formatVerificationCode(code)))).toEqual({ number, code });
    expect(normalizeVerifyInput(number, 'ABCDE I2345').code).toBe(code);
  });

  it('names the fields that are empty or malformed, so the screen can say which one to fix', () => {
    expect(fieldsOf(() => normalizeVerifyInput('', ' '))).toEqual({ number: 'required', code: 'required' });
    expect(fieldsOf(() => normalizeVerifyInput('SHM-2026-1234', code))).toEqual({ number: 'verify.numberFormat' });
    expect(fieldsOf(() => normalizeVerifyInput(number, 'ABCDE'))).toEqual({ code: 'verify.codeFormat' });
  });

  it('refuses a number whose check character does not fit (a typo), without looking it up', () => {
    const last = number.at(-1)!;
    const typo = number.slice(0, -1) + (last === '0' ? '1' : '0');
    expect(fieldsOf(() => normalizeVerifyInput(typo, code))).toEqual({ number: 'verify.numberFormat' });
  });
});

describe('verifyCertificate against the certificate store', () => {
  let dir: string;
  let store: LowdbCertificateStore;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-verify-'));
    store = await openCertificateStore(dir, { expireIntervalMs: 0 });
    await store.types.put(enrollmentType);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers valid with the type, the issue date and the masked holder for the right number and code', async () => {
    const c = issuedCertificate();
    await store.certificates.insertMany([c]);
    expect(verifyResponse(await verifyCertificate(store, c.number.toLowerCase(), formatVerificationCode(c.verificationCode)))).toEqual({
      status: 'valid',
      number: c.number,
      issueDate: '2026-11-24',
      typeName: { ja: '在学証明書', en: 'Certificate of Enrollment' },
      holderMasked: '山田 ＊＊',
      holderMaskedRoman: 'T*** Yamada',
    });
  });

  it('answers a certificate issued before the roman name was kept with the kanji name only', async () => {
    const { holderNameRoman: _roman, holderNameKana: _kana, ...older } = issuedCertificate();
    await store.certificates.insertMany([older]);
    const answer = verifyResponse(await verifyCertificate(store, older.number, older.verificationCode));
    expect(answer).toMatchObject({ status: 'valid', holderMasked: '山田 ＊＊' });
    expect(answer).not.toHaveProperty('holderMaskedRoman');
  });

  it('answers revoked with the time and the reason', async () => {
    const c = revoked(issuedCertificate());
    await store.certificates.insertMany([c]);
    const answer = verifyResponse(await verifyCertificate(store, c.number, c.verificationCode));
    expect(answer).toMatchObject({ status: 'revoked', revokedAt: c.revokedAt, revokedReason: c.revocationReason, holderMasked: '山田 ＊＊' });
  });

  it('answers the same unknown for a wrong code as for a number that does not exist', async () => {
    const c = issuedCertificate();
    await store.certificates.insertMany([c]);
    const wrongCode = c.verificationCode.startsWith('A') ? `B${c.verificationCode.slice(1)}` : `A${c.verificationCode.slice(1)}`;
    const other = issuedCertificate();
    expect(verifyResponse(await verifyCertificate(store, c.number, wrongCode))).toEqual({ status: 'unknown', number: c.number });
    expect(verifyResponse(await verifyCertificate(store, other.number, c.verificationCode))).toEqual({ status: 'unknown', number: other.number });
  });
});
