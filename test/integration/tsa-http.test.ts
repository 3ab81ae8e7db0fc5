import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedKeyPair } from '../../service/adapters/files/key-pair.js';
import { createHttpTsa } from '../../service/adapters/tsa/http-tsa.js';
import { DEMO_TSA_RATE_LIMIT } from '../../service/http/routes/tsa.js';
import { createLocalTsa, type LocalTsa } from '../../service/adapters/tsa/local-tsa.js';
import { encodeRequest, encodeResponse, FAILURE, parseRequest, parseResponse, STATUS } from '../../service/adapters/tsa/rfc3161.js';
import { DomainError } from '../../service/domain/errors.js';
import { startService, type RunningService } from '../support/service.js';
import { openssl, sha256, tokenText, verifyWithOpenssl } from '../support/timestamps.js';

const digest = sha256(Buffer.from('the signature value of a certificate'));

/** What the stand-in for an outside authority answers. */
type Behaviour = 'honest' | 'wrongNonce' | 'wrongImprint' | 'rejection' | 'http500' | 'silent';

describe('the RFC 3161 client', () => {
  let dir: string;
  let svc: RunningService;
  let outside: Server;
  let outsideTsa: LocalTsa;
  let behaviour: Behaviour = 'honest';
  let outsideUrl = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-tsa-http-'));
    svc = await startService();
    outsideTsa = createLocalTsa(await selfSignedKeyPair({ commonName: 'Outside TSA', keySize: 2048, validityYears: 1, timeStamping: true }), () => new Date());
    // An outside authority, misbehaving on request.
    outside = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          if (behaviour === 'silent') return; // never answers
          if (behaviour === 'http500') return res.writeHead(500).end('down for maintenance');
          const request = parseRequest(Buffer.concat(chunks));
          let reply: Uint8Array;
          if (behaviour === 'rejection') reply = encodeResponse({ failure: FAILURE.systemFailure, text: 'clock not synchronised' });
          else if (behaviour === 'wrongNonce') reply = await outsideTsa.respond(encodeRequest({ ...request, nonce: Buffer.from([0x01, 0x02]) }));
          else if (behaviour === 'wrongImprint')
            reply = await outsideTsa.respond(encodeRequest({ ...request, nonce: request.nonce!, digest: sha256(request.digest) }));
          else reply = await outsideTsa.respond(encodeRequest({ ...request, nonce: request.nonce! }));
          res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(Buffer.from(reply));
        })();
      });
    });
    await new Promise<void>((resolve) => outside.listen(0, '127.0.0.1', resolve));
    outsideUrl = `http://127.0.0.1:${(outside.address() as AddressInfo).port}/tsr`;
  });
  afterAll(async () => {
    outside.closeAllConnections();
    await new Promise((r) => outside.close(r));
    await svc.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gets a token from the demo service's built-in authority over HTTP, which openssl verifies with the certificate it publishes", async () => {
    const certificate = await fetch(`${svc.url}/tsa/certificate`);
    expect(certificate.status).toBe(200);
    const pem = await certificate.text();
    const caFile = path.join(dir, 'demo-tsa.pem');
    writeFileSync(caFile, pem);
    // A time-stamping certificate, as RFC 3161 wants it: extendedKeyUsage timeStamping only, critical.
    expect(openssl('x509', '-in', caFile, '-noout', '-ext', 'extendedKeyUsage').out).toMatch(/Extended Key Usage: critical\s+Time Stamping\s*$/);

    const token = await createHttpTsa({ url: `${svc.url}/tsa`, trusted: [new X509Certificate(pem)] }).timestamp(digest);
    expect(verifyWithOpenssl(token, digest, caFile, path.join(dir, 'token.der')).out).toContain('Verification: OK');
    const text = tokenText(token, path.join(dir, 'token.der'));
    expect(text.nonce).toMatch(/^0x[0-9A-F]+$/);
    expect(Math.abs(text.genTime.getTime() - Date.now())).toBeLessThan(5_000);
  });

  it('the built-in authority rejects what is not a SHA-256 TimeStampReq, in RFC 3161 terms', async () => {
    const garbage = await fetch(`${svc.url}/tsa`, { method: 'POST', headers: { 'Content-Type': 'application/timestamp-query' }, body: 'hello' });
    expect(garbage.status).toBe(200);
    expect(garbage.headers.get('content-type')).toBe('application/timestamp-reply');
    expect(parseResponse(Buffer.from(await garbage.arrayBuffer()))).toMatchObject({ status: STATUS.rejection, token: null });
    const wrongType = await fetch(`${svc.url}/tsa`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(wrongType.status).toBe(415);
  });

  it('accepts an honest outside authority, checking its token against TSA_CA_FILE', async () => {
    const token = await createHttpTsa({ url: outsideUrl, trusted: [new X509Certificate(await outsideTsa.certificatePem())] }).timestamp(digest);
    const caFile = path.join(dir, 'outside.pem');
    writeFileSync(caFile, await outsideTsa.certificatePem());
    expect(verifyWithOpenssl(token, digest, caFile, path.join(dir, 'outside.der')).ok).toBe(true);
  });

  const refusal = async (tsa: ReturnType<typeof createHttpTsa>): Promise<DomainError> => {
    const error = await tsa.timestamp(digest).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('certificate.timestampUnavailable');
    return error as DomainError;
  };

  for (const [what, wrong, reason] of [
    ['a token for another request (nonce)', 'wrongNonce', /nonce/],
    ['a token over another digest', 'wrongImprint', /message imprint/],
    ['a rejection', 'rejection', /status 2: clock not synchronised/],
    ['an HTTP error', 'http500', /HTTP 500/],
    ['no answer in time', 'silent', /no answer/],
  ] as const) {
    it(`refuses ${what} with certificate.timestampUnavailable`, async () => {
      behaviour = wrong;
      try {
        const error = await refusal(createHttpTsa({ url: outsideUrl, trusted: [], timeoutMs: 1_000 }));
        expect(error.detail).toMatch(reason);
      } finally {
        behaviour = 'honest';
      }
    });
  }

  it('refuses a token whose signer does not chain to TSA_CA_FILE', async () => {
    const stranger = await selfSignedKeyPair({ commonName: 'Some other TSA', keySize: 2048, validityYears: 1, timeStamping: true });
    const error = await refusal(createHttpTsa({ url: outsideUrl, trusted: [new X509Certificate(stranger.certPems[0]!)] }));
    expect(error.detail).toMatch(/does not chain to a certificate of TSA_CA_FILE/);
  });

  it('limits the requests one client sends the built-in authority, with 429, the wait and a translated message', async () => {
    const post = (headers: Record<string, string> = {}) =>
      fetch(`${svc.url}/tsa`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/timestamp-query', accept: 'application/json', ...headers },
        body: 'x',
      });
    const statuses: number[] = [];
    for (let i = 0; i < DEMO_TSA_RATE_LIMIT.limit + 5; i++) statuses.push((await post()).status);
    // Answered until the limit (counting this client's requests earlier in the file), refused from then on.
    const firstRefused = statuses.indexOf(429);
    expect(firstRefused).toBeGreaterThan(0);
    expect(firstRefused).toBeLessThanOrEqual(DEMO_TSA_RATE_LIMIT.limit);
    expect(statuses.slice(0, firstRefused).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(firstRefused).every((s) => s === 429)).toBe(true);
    const refused = await post({ cookie: 'shomei_lang=en' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/Too many time-stamp requests.*\d+ seconds/);
    const japanese = await post();
    expect(((await japanese.json()) as { error: { message: string } }).error.message).toMatch(/時刻認証.*\d+秒後/);
  });
});
