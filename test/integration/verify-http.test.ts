import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatVerificationCode } from '../../service/domain/certificates/numbers.js';
import { loadOrCreateOfflineKey } from '../../service/adapters/files/offline-key.js';
import { startService, type RunningService } from '../support/service.js';
import { enrollmentType, issuedCertificate, revoked } from '../support/verify-fixtures.js';
import { offlineKeyFromPem } from '../../service/domain/certificates/offline-payload.js';
import { order } from '../support/certificate-records.js';
import { account } from '../support/factories.js';

/** The QR-signing key as the database keeps it for every instance (service_keys). */
async function keyInDatabase(databaseUrl: string) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ material: string }>("SELECT material FROM service_keys WHERE name = 'offline-verification-key'");
    return offlineKeyFromPem(rows[0]!.material);
  } finally {
    await db.end();
  }
}

/** The SPA's way of calling: the session cookie and CSRF token from GET /api/session, JSON both ways. */
async function client(base: string, language: 'ja' | 'en' = 'ja') {
  const first = await fetch(`${base}/api/session`, { headers: { accept: 'application/json', cookie: `shomei_lang=${language}` } });
  const cookies = first.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const { csrfToken } = (await first.json()) as { csrfToken: string };
  return async (body: unknown) => {
    const res = await fetch(`${base}/api/verify`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        'x-csrf-token': csrfToken,
        cookie: [`shomei_lang=${language}`, ...cookies].join('; '),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
}

describe('POST /api/verify and GET /api/verify/keys', () => {
  let svc: RunningService;
  const valid = issuedCertificate();
  const revokedOne = revoked(issuedCertificate({ holderNameKanji: 'Taro Yamada', holderNameRoman: 'Taro Yamada', holderNameKana: 'タロウ ヤマダ' }));

  beforeAll(async () => {
    svc = await startService();
    await svc.deps.certificates.store.types.put(enrollmentType);
    // With the account and order they belong to (PostgreSQL holds every certificate to both).
    await svc.stores.transaction(async (tx) => {
      await tx.store.accounts.insert(account({ id: valid.accountId }));
      await tx.certificates.certificates.insertMany([valid, revokedOne]);
      await tx.certificates.orders.insert(order({ id: valid.orderId, accountId: valid.accountId, certificateIds: [valid.id, revokedOne.id] }));
    });
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('says valid with the type, issue date and masked holder for the number and code as printed', async () => {
    const verify = await client(svc.url);
    const res = await verify({ number: valid.number, code: formatVerificationCode(valid.verificationCode) });
    expect(res).toEqual({
      status: 200,
      body: {
        status: 'valid',
        number: valid.number,
        issueDate: '2026-11-24',
        typeName: { ja: '在学証明書', en: 'Certificate of Enrollment' },
        holderMasked: '山田 ＊＊',
        holderMaskedRoman: 'T*** Yamada',
      },
    });
  });

  it('says revoked with the reason once staff revoked the certificate', async () => {
    const verify = await client(svc.url);
    const res = await verify({ number: revokedOne.number.replace(/-/g, ' ').toLowerCase(), code: revokedOne.verificationCode.toLowerCase() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'revoked',
      holderMasked: 'Taro Y*****',
      holderMaskedRoman: 'Taro Y*****',
      revokedReason: revokedOne.revocationReason,
      revokedAt: revokedOne.revokedAt,
    });
  });

  it('says unknown, and nothing more, for a wrong code and for a number that was never issued', async () => {
    const verify = await client(svc.url);
    const wrong = valid.verificationCode.startsWith('Z') ? `Y${valid.verificationCode.slice(1)}` : `Z${valid.verificationCode.slice(1)}`;
    const wrongCode = await verify({ number: valid.number, code: wrong });
    const never = issuedCertificate();
    const unknownNumber = await verify({ number: never.number, code: valid.verificationCode });
    expect(wrongCode).toEqual({ status: 200, body: { status: 'unknown', number: valid.number } });
    expect(unknownNumber).toEqual({ status: 200, body: { status: 'unknown', number: never.number } });
  });

  it('answers a malformed number with a field error, not a 500', async () => {
    const verify = await client(svc.url, 'en');
    const res = await verify({ number: 'SHM-12', code: '' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation.failed', fields: { number: 'verify.numberFormat', code: 'required' } } });
  });

  it('publishes the service key as a JWK set that matches the key in the data folder (or database), with the name of every certificate type and of the institution', async () => {
    const res = await fetch(`${svc.url}/api/verify/keys`);
    expect(res.status).toBe(200);
    const key = svc.databaseUrl ? await keyInDatabase(svc.databaseUrl) : await loadOrCreateOfflineKey(svc.dataDir);
    const body = await res.json();
    expect(body.keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: key.publicKeyRaw, kid: key.keyId, use: 'sig', alg: 'EdDSA' }]);
    expect(body.typeNames).toMatchObject({
      enrollment: { ja: '在学証明書', en: 'Certificate of Enrollment' },
      transcript: { ja: '成績証明書', en: 'Academic Transcript' },
    });
    const profile = (await svc.deps.institution.profile())!;
    expect(body.institutionName).toEqual({ ja: profile.name.ja, en: profile.name.en });
  });

  it('refuses the 21st check from one address within ten minutes with 429 and the seconds to wait, in the visitor language', async () => {
    const fresh = await startService();
    try {
      const verify = await client(fresh.url, 'en');
      const never = issuedCertificate();
      for (let i = 0; i < 20; i++) expect((await verify({ number: never.number, code: 'ABCDE12345' })).status).toBe(200);
      const refused = await verify({ number: never.number, code: 'ABCDE12345' });
      expect(refused.status).toBe(429);
      const error = refused.body.error as { code: string; message: string; params: { seconds: number } };
      expect(error.code).toBe('verify.rateLimited');
      expect(error.params.seconds).toBeGreaterThan(0);
      expect(error.params.seconds).toBeLessThanOrEqual(600);
      expect(error.message).toContain(`${error.params.seconds} seconds`);
    } finally {
      await fresh.stop();
    }
  });
});
