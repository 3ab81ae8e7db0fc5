/**
 * Certificates as W3C Verifiable Credentials over HTTP, checked by a verifier written here from
 * docs/verifiable-credentials.md alone: it imports nothing of the project for the check (only
 * node:crypto, node:zlib and fetch), so the service's format is held to its documentation.
 */
import { createPublicKey, verify as verifySignature, type JsonWebKey } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANG_COOKIE, SESSION_COOKIE } from '../../service/http/middleware/session.js';
import { startService, type RunningService } from '../support/service.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { ApiClient, readDemoStaffCredentials } from '../support/staff.js';
import { Student, user } from '../support/student-api.js';

/* ---- The independent verifier ---- */

type Json = Record<string, any>;
const decodePart = (part: string): Json => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** A compact JWS checked against the issuer's JWK Set (found from the issuer id): header, signature → payload. */
async function verifiedPayload(jws: string, expectedIssuer?: string): Promise<{ header: Json; payload: Json } | 'invalidSignature'> {
  const [h, p, s] = jws.split('.');
  const header = decodePart(h!);
  const payload = decodePart(p!);
  expect(header).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt' });
  const issuerId: string = payload.issuer.id;
  if (expectedIssuer) expect(issuerId).toBe(expectedIssuer);
  const issuer = (await (await fetch(issuerId)).json()) as Json;
  expect(issuer.id).toBe(issuerId);
  const jwks = (await (await fetch(issuer.jwksUri)).json()) as { keys: JsonWebKey[] };
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  expect(jwk, `kid ${header.kid} in the JWK Set`).toBeDefined();
  const key = createPublicKey({ key: jwk!, format: 'jwk' });
  const ok = verifySignature(null, Buffer.from(`${h}.${p}`, 'ascii'), key, Buffer.from(s!, 'base64url'));
  return ok ? { header, payload } : 'invalidSignature';
}

/** The whole check of a certificate credential, as an employer's software would do it. */
async function verifyCertificateCredential(jws: string, now = new Date()): Promise<'valid' | 'revoked' | 'expired' | 'invalidSignature'> {
  const checked = await verifiedPayload(jws);
  if (checked === 'invalidSignature') return checked;
  const vc = checked.payload;
  expect(vc['@context'][0]).toBe('https://www.w3.org/ns/credentials/v2');
  expect(vc.type).toContain('VerifiableCredential');
  if (vc.validUntil && new Date(vc.validUntil) < now) return 'expired';
  expect(new Date(vc.validFrom).getTime()).toBeLessThanOrEqual(now.getTime());

  const entry = vc.credentialStatus;
  expect(entry).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation' });
  const res = await fetch(entry.statusListCredential);
  expect(res.headers.get('content-type')).toMatch(/^application\/vc\+jwt/);
  const list = await verifiedPayload(await res.text(), vc.issuer.id);
  if (list === 'invalidSignature') throw new Error('the status list is not signed by the issuer');
  expect(list.payload.type).toContain('BitstringStatusListCredential');
  const subject = list.payload.credentialSubject;
  expect(subject).toMatchObject({ type: 'BitstringStatusList', statusPurpose: 'revocation' });
  expect(subject.encodedList[0]).toBe('u');
  const bits = gunzipSync(Buffer.from(subject.encodedList.slice(1), 'base64url'));
  expect(bits.length).toBeGreaterThanOrEqual(16_384);
  const index = Number(entry.statusListIndex);
  const bit = (bits[Math.floor(index / 8)]! >> (7 - (index % 8))) & 1;
  return bit === 1 ? 'revoked' : 'valid';
}

/* ---- The service ---- */

describe('each certificate as a verifiable credential with a Bitstring Status List', () => {
  let smtp: TestSmtpServer;
  let svc: RunningService;
  let taro: Student;
  let number = '';

  /** GET as the signed-in student's browser, the body as text. */
  async function download(who: Student, path: string) {
    const cookie = [SESSION_COOKIE, LANG_COOKIE]
      .map((name) => [name, who.browser.cookie(svc.url, name)] as const)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    const res = await fetch(`${svc.url}${path}`, { headers: { cookie } });
    return { status: res.status, headers: res.headers, body: await res.text() };
  }

  async function checkAtVerify(credential: string) {
    const visitor = new ApiClient(svc.url);
    visitor.csrfToken = (await visitor.get('/api/session')).body.csrfToken;
    return visitor.post('/api/verify/credential', { credential });
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    svc = await startService({ SMTP_URL: smtp.url, MAIL_FROM: 'no-reply@cert.example.ac.jp' });
    taro = new Student(svc);
    await taro.signIn(user('s2101001'));
    await taro.registerMail(smtp, 'taro.vc@example.jp');
    const placed = await taro.api('POST', '/api/certificates/orders', {
      studentId: '2101001',
      destination: 'convenience',
      items: [{ typeCode: 'enrollment', language: 'ja', copies: 1 }],
    });
    expect(placed.status).toBe(201);
    number = placed.body.lines[0].certificateNumber;
  }, 90_000);
  afterAll(async () => {
    await svc?.stop();
    await smtp?.stop();
  });

  it('gives the holder a credential that an outside verifier finds valid, then revoked once staff revoke the certificate', async () => {
    const got = await download(taro, `/api/certificates/credentials/${number}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toMatch(/^application\/vc\+jwt/);
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="${number}.jwt"`);
    const credential = got.body;
    const [, payloadPart] = credential.split('.');
    const vc = decodePart(payloadPart!);
    expect(vc.type).toEqual(['VerifiableCredential', 'UniversityCertificateCredential']);
    expect(vc.credentialSubject).toMatchObject({ certificate: { number, typeCode: 'enrollment', language: 'ja' } });
    expect(vc.credentialSubject.certificate.typeName).toContainEqual({ '@value': '在学証明書', '@language': 'ja' });
    expect(vc.issuer.id).toBe(`${svc.url}/credentials/issuer`);
    expect(vc.credentialStatus.statusListCredential).toBe(`${svc.url}/credentials/status/1`);

    expect(await verifyCertificateCredential(credential)).toBe('valid');
    expect((await checkAtVerify(credential)).body).toMatchObject({ status: 'valid', facts: { number, typeName: { ja: '在学証明書' } } });

    const status = await fetch(`${svc.url}/credentials/status/1`);
    expect(status.headers.get('cache-control')).toBe('public, max-age=60');
    // Readable by a verifier's page on another site, as the issuer and the keys it leads to.
    for (const url of [status.url, vc.issuer.id, `${svc.url}/api/verify/keys`]) {
      expect((await fetch(url, { headers: { origin: 'https://verifier.example' } })).headers.get('access-control-allow-origin')).toBe('*');
    }

    const demo = readDemoStaffCredentials(svc.dataDir);
    const reviewer = new ApiClient(svc.url);
    expect((await reviewer.staffLogin('reviewer', demo.reviewer!.password)).status).toBe(200);
    expect((await reviewer.post(`/api/admin/certificates/${number}/revoke`, { reason: '記載内容の誤りのため' })).status).toBe(200);

    expect(await verifyCertificateCredential(credential)).toBe('revoked');
    expect((await checkAtVerify(credential)).body).toMatchObject({ status: 'revoked', facts: { number } });
    // The same index again on a second download: the list's bit stays the certificate's.
    const again = await download(taro, `/api/certificates/credentials/${number}`);
    expect(decodePart(again.body.split('.')[1]!).credentialStatus.statusListIndex).toBe(vc.credentialStatus.statusListIndex);
    expect(await verifyCertificateCredential(again.body)).toBe('revoked');

    const audit = await svc.deps.audit.list({ action: 'certificate.credential.downloaded' });
    expect(audit.items.map((e) => e.target.id)).toEqual([number, number]);
  }, 60_000);

  it('tells a changed credential, a stranger, and garbage apart at /verify', async () => {
    const order = await taro.api('POST', '/api/certificates/orders', {
      studentId: '2101001',
      destination: 'convenience',
      items: [{ typeCode: 'enrollment', language: 'en', copies: 1 }],
    });
    const mine = order.body.lines[0].certificateNumber as string;
    const credential = (await download(taro, `/api/certificates/credentials/${mine}`)).body;
    const [h, p, s] = credential.split('.') as [string, string, string];
    // One byte of the payload changed: the holder's name.
    const payload = Buffer.from(p, 'base64url');
    const at = payload.indexOf('"name":"') + 8;
    payload[at] = payload[at] === 0x41 ? 0x42 : 0x41;
    const tampered = `${h}.${payload.toString('base64url')}.${s}`;
    expect(await verifyCertificateCredential(tampered)).toBe('invalidSignature');
    expect((await checkAtVerify(tampered)).body).toEqual({ status: 'invalidSignature' });

    const garbage = await checkAtVerify('this is not a credential');
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toMatchObject({ code: 'validation.failed', fields: { credential: 'credential.malformed' } });

    // Someone else cannot download it; an unknown number is not found alike.
    const hanako = new Student(svc);
    await hanako.signIn(user('s2101002'));
    await hanako.registerMail(smtp, 'hanako.vc@example.jp');
    expect((await download(hanako, `/api/certificates/credentials/${mine}`)).status).toBe(404);
    expect((await download(taro, '/api/certificates/credentials/SHM-2026-AAAA-AAAA')).status).toBe(404);
  }, 60_000);
});
