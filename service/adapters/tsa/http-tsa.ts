/**
 * An outside time-stamping authority over HTTP (RFC 3161 §3.4): POST application/timestamp-query
 * to TSA_URL with a fresh nonce and certReq, and accept the token only when the reply is granted
 * and its TSTInfo names our digest and nonce; with TSA_CA_FILE, also only when the token's signer
 * is a time-stamping certificate chaining to one of those certificates. Every failure is
 * `certificate.timestampUnavailable` (the order fails cleanly; the reason goes to the log).
 */
import { randomBytes, type X509Certificate } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import type { TimestampAuthority } from '../../domain/certificates/timestamps.js';
import { encodeRequest, parseResponse, readTstInfo, STATUS, verifyToken } from './rfc3161.js';
import { OID } from '../pdf/cms.js';

export interface HttpTsaOptions {
  url: string;
  /** Trusted roots for the token's signer (TSA_CA_FILE); empty: the token's signature is not checked here. */
  trusted: X509Certificate[];
  /** Per request; 10 seconds by default. */
  timeoutMs?: number;
}

/** Largest reply read: tokens are a few KB, a chain included. */
const MAX_REPLY = 64 * 1024;

export function createHttpTsa(options: HttpTsaOptions): TimestampAuthority {
  const unavailable = (why: string, cause?: unknown) =>
    new DomainError('certificate.timestampUnavailable', {}, `TSA ${options.url}: ${why}${cause ? ` (${String(cause)})` : ''}`);
  return {
    async timestamp(digest) {
      const nonce = randomBytes(8);
      nonce[0] = (nonce[0]! & 0x7f) | 0x01; // positive, full length
      let reply: Response;
      let body: Buffer;
      try {
        reply = await fetch(options.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply' },
          body: new Uint8Array(encodeRequest({ digest, nonce, certReq: true })),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
          redirect: 'error',
        });
        body = Buffer.from(await reply.arrayBuffer());
      } catch (e) {
        throw unavailable('no answer', e);
      }
      if (!reply.ok) throw unavailable(`HTTP ${reply.status}`);
      if (body.length > MAX_REPLY) throw unavailable(`a reply of ${body.length} bytes`);
      let token: Buffer;
      try {
        const parsed = parseResponse(body);
        if (parsed.status !== STATUS.granted && parsed.status !== STATUS.grantedWithMods)
          throw new Error(`status ${parsed.status}${parsed.text ? `: ${parsed.text}` : ''}`);
        if (!parsed.token) throw new Error('granted without a token');
        token = parsed.token;
        const info = readTstInfo(token);
        if (info.hashAlgorithm !== OID.sha256 || !info.digest.equals(Buffer.from(digest))) throw new Error('the token is for another message imprint');
        if (!info.nonce?.equals(nonce)) throw new Error('the token answers another request (nonce)');
        if (options.trusted.length > 0) verifyToken(token, options.trusted);
      } catch (e) {
        if (e instanceof DomainError) throw e;
        throw unavailable('refused', e instanceof Error ? e.message : e);
      }
      return token;
    },
  };
}
