import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { certPem } from './xml.js';

// SAML HTTP-Redirect binding signatures (saml-bindings 3.4.4.1) with node:crypto (OpenSSL).
// samlify would make and check these with node-rsa, an RSA written in JavaScript with an open
// timing side-channel report; every login sends one such signature, so it is done here instead.

/** The signature algorithms we sign with and accept; SHA-1 is refused. */
const REDIRECT_SIG_ALGS: Readonly<Record<string, string>> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': 'sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
};
const SIGN_WITH = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

export interface RedirectMessage {
  /** The endpoint from the peer's metadata (may already carry a query string). */
  location: string;
  param: 'SAMLRequest' | 'SAMLResponse';
  xml: string;
  /** Left out of the URL when empty. */
  relayState?: string | null;
}

/**
 * The redirect URL carrying `xml` deflated and signed with `key` (RSA-SHA256). The signature
 * covers `SAMLRequest=…[&RelayState=…]&SigAlg=…` exactly as the URL encodes them.
 */
export function signedRedirectUrl(message: RedirectMessage, key: KeyObject): string {
  const encode = encodeURIComponent;
  const parts = [`${message.param}=${encode(deflateRawSync(Buffer.from(message.xml, 'utf8')).toString('base64'))}`];
  if (message.relayState) parts.push(`RelayState=${encode(message.relayState)}`);
  parts.push(`SigAlg=${encode(SIGN_WITH)}`);
  const octetString = parts.join('&');
  const signature = sign(REDIRECT_SIG_ALGS[SIGN_WITH]!, Buffer.from(octetString, 'utf8'), key).toString('base64');
  return `${message.location}${message.location.includes('?') ? '&' : '?'}${octetString}&Signature=${encode(signature)}`;
}

export type RedirectSignatureCheck = 'valid' | 'unsigned' | 'algorithm-refused' | 'invalid';

/**
 * Checks a received redirect message's detached signature over `octetString` (the signed
 * parameters exactly as received, not re-encoded) against any of `certs` (base64 bodies).
 */
export function checkRedirectSignature(
  signed: { octetString?: string; sigAlg?: string; signature?: string },
  certs: readonly string[],
): RedirectSignatureCheck {
  const { octetString, sigAlg, signature } = signed;
  if (!octetString || !sigAlg || !signature) return 'unsigned';
  const digest = Object.hasOwn(REDIRECT_SIG_ALGS, sigAlg) ? REDIRECT_SIG_ALGS[sigAlg] : undefined;
  if (!digest) return 'algorithm-refused';
  const bytes = Buffer.from(octetString, 'utf8');
  const sig = Buffer.from(signature, 'base64');
  return certs.some((cert) => verify(digest, bytes, createPublicKey(certPem(cert)), sig)) ? 'valid' : 'invalid';
}
