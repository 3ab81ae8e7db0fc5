/** Issued certificates for the /verify tests: real numbers and codes, as issuance makes them. */
import type { CertificateType, IssuedCertificate } from '../../service/domain/certificates/model.js';
import { generateVerificationCode, randomCertificateNumber } from '../../service/domain/certificates/numbers.js';
import { holderNameHash, signOfflinePayload, type OfflineSigningKey } from '../../service/domain/certificates/offline-payload.js';
import { systemRandom } from '../../service/domain/crypto.js';
import { certificateType } from './certificate-records.js';

let serial = 0;

export const enrollmentType: CertificateType = certificateType();

/** A valid certificate with a fresh random number and code; pass `key` to sign its offline payload. */
export function issuedCertificate(overrides: Partial<IssuedCertificate> & { birthDate?: string } = {}, key?: OfflineSigningKey): IssuedCertificate {
  const { birthDate = '2004-04-05', ...rest } = overrides;
  const number = rest.number ?? randomCertificateNumber(systemRandom, 2026);
  const base: IssuedCertificate = {
    id: `verify-cert-${++serial}-${Date.now()}`,
    number,
    verificationCode: generateVerificationCode(systemRandom),
    orderId: 'order-verify',
    accountId: 'acc-verify',
    studentId: 'S0001',
    typeCode: 'enrollment',
    language: 'ja',
    copies: 1,
    issueDate: '2026-11-24',
    validUntil: null,
    issuedAt: '2026-11-24T01:00:00.000Z',
    holderNameKanji: '山田 太郎',
    holderNameRoman: 'Taro Yamada',
    holderNameKana: 'ヤマダ タロウ',
    offlinePayload: '',
    offlineKeyId: key?.keyId ?? '00000000',
    status: 'valid',
    revokedAt: null,
    revokedBy: null,
    revocationReason: null,
    ...rest,
  };
  if (key) {
    base.offlinePayload = signOfflinePayload(
      {
        v: 1,
        number: base.number,
        typeCode: base.typeCode,
        holderNameHash: holderNameHash(base.holderNameKanji, birthDate),
        issueDate: base.issueDate,
        keyId: key.keyId,
      },
      key.privateKey,
    );
  }
  return base;
}

/** The same certificate, revoked by staff. */
export const revoked = (c: IssuedCertificate, reason = '記載内容の誤りのため再発行'): IssuedCertificate => ({
  ...c,
  status: 'revoked',
  revokedAt: '2026-11-25T03:00:00.000Z',
  revokedBy: 'staff-1',
  revocationReason: reason,
});
