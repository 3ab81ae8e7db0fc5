/**
 * Reading signature time-stamps the way an outside verifier does: the CMS out of a signed PDF's
 * /Contents, the token out of its SignerInfo's unsigned attributes, and openssl's answers about it
 * (`openssl ts -verify`, `openssl ts -reply -text`).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { childrenOf, contentOf, readTlv } from '../../service/adapters/pdf/der.js';

/** The DER CMS of the (single) signature of a PDF, without /Contents' zero padding. */
export function signatureCms(pdf: Uint8Array): Buffer {
  const text = Buffer.from(pdf).toString('latin1');
  const range = /\/ByteRange \[0 (\d+) (\d+) \d+ *\]/.exec(text);
  if (!range) throw new Error('no filled /ByteRange');
  const padded = Buffer.from(text.slice(Number(range[1]) + 1, Number(range[2]) - 1), 'hex');
  return padded.subarray(0, readTlv(padded).end);
}

/** The SignerInfo's signature value and, when present, the signatureTimeStampToken attribute's token. */
export function signatureParts(cms: Buffer): { signature: Buffer; token: Buffer | null } {
  const signedData = childrenOf(cms, childrenOf(cms, readTlv(cms))[1]!)[0]!;
  const signerInfo = childrenOf(cms, childrenOf(cms, signedData).at(-1)!)[0]!;
  const fields = childrenOf(cms, signerInfo);
  const unsigned = fields.at(-1)!.tag === 0xa1 ? fields.at(-1)! : null;
  const signature = contentOf(cms, fields[unsigned ? fields.length - 2 : fields.length - 1]!);
  if (!unsigned) return { signature, token: null };
  const [attribute] = childrenOf(cms, unsigned);
  const [type, values] = childrenOf(cms, attribute!);
  // 1.2.840.113549.1.9.16.2.14 id-aa-signatureTimeStampToken
  if (!contentOf(cms, type!).equals(Buffer.from('2a864886f70d010910020e', 'hex'))) throw new Error('an unsigned attribute other than the time-stamp');
  const token = childrenOf(cms, values!)[0]!;
  return { signature, token: cms.subarray(token.start, token.end) };
}

export function openssl(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** `openssl ts -verify` of a token over `digest`, trusting the PEM certificate file `caFile`. */
export function verifyWithOpenssl(token: Uint8Array, digest: Buffer, caFile: string, scratch: string): { ok: boolean; out: string } {
  writeFileSync(scratch, token);
  const r = openssl('ts', '-verify', '-digest', digest.toString('hex'), '-in', scratch, '-token_in', '-CAfile', caFile);
  return { ok: r.status === 0 && /Verification: OK/.test(r.out), out: r.out };
}

/** The token's genTime and TSA policy as openssl prints them. */
export function tokenText(token: Uint8Array, scratch: string): { genTime: Date; policy: string; nonce: string } {
  writeFileSync(scratch, token);
  const { out } = openssl('ts', '-reply', '-in', scratch, '-token_in', '-text');
  const m = /Time stamp: (\w{3}) +(\d+) (\d\d:\d\d:\d\d)(?:\.\d+)? (\d{4}) GMT/.exec(out);
  if (!m) throw new Error(`no time stamp in:\n${out}`);
  return {
    genTime: new Date(`${m[1]} ${m[2]}, ${m[4]} ${m[3]} UTC`),
    policy: /Policy OID: (\S+)/.exec(out)?.[1] ?? '',
    nonce: /Nonce: (\S+)/.exec(out)?.[1] ?? '',
  };
}

export const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();
