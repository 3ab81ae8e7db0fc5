import { selfSignedKeyPair } from '../../service/adapters/files/key-pair.js';

/** A fresh 2048-bit RSA key and a self-signed certificate for `commonName` (an SP, an IdP, an attacker), made the service's own way. */
export async function selfSigned(commonName: string): Promise<{ key: string; cert: string }> {
  const pair = await selfSignedKeyPair({ commonName, keySize: 2048, validityYears: 2 });
  return { key: pair.keyPem, cert: pair.certPems[0]! };
}
