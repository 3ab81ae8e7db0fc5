/** The Ed25519 key that signs the offline verification payloads, kept in DATA_DIR. */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { generateOfflineKey, offlineKeyFromPem, type OfflineSigningKey } from '../../domain/certificates/offline-payload.js';
import { createFileDurably } from './durable-write.js';

export const OFFLINE_KEY_FILE = 'offline-verification-key.pem';

/**
 * The signing key in `dataDir/offline-verification-key.pem`, generated on first start (mode
 * 0600, durable before any certificate is signed with it; if two processes race, the first file
 * created wins and both use it).
 */
export async function loadOrCreateOfflineKey(dataDir: string): Promise<OfflineSigningKey> {
  const file = path.join(dataDir, OFFLINE_KEY_FILE);
  try {
    return offlineKeyFromPem(await readFile(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(dataDir, { recursive: true });
  const key = generateOfflineKey();
  const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  if (await createFileDurably(file, pem, 0o600)) return key;
  return offlineKeyFromPem(await readFile(file, 'utf8'));
}
