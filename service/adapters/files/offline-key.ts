/** The Ed25519 key that signs the offline verification payloads, kept in DATA_DIR or shared through the database. */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { generateOfflineKey, offlineKeyFromPem, type OfflineSigningKey } from '../../domain/certificates/offline-payload.js';
import type { SharedKeyStore } from '../../domain/stores.js';
import { createFileDurably } from './durable-write.js';

export const OFFLINE_KEY_FILE = 'offline-verification-key.pem';

/**
 * The signing key in `dataDir/offline-verification-key.pem`, generated on first start (mode
 * 0600, durable before any certificate is signed with it; if two processes race, the first file
 * created wins and both use it). With `shared` (PostgreSQL), the one stored there instead: every
 * instance signs with the key the first one generated.
 */
export async function loadOrCreateOfflineKey(dataDir: string, shared: SharedKeyStore | null = null): Promise<OfflineSigningKey> {
  const pemOf = (key: OfflineSigningKey) => key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  if (shared) return offlineKeyFromPem(await shared.getOrCreate('offline-verification-key', async () => pemOf(generateOfflineKey())));
  const file = path.join(dataDir, OFFLINE_KEY_FILE);
  try {
    return offlineKeyFromPem(await readFile(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(dataDir, { recursive: true });
  const key = generateOfflineKey();
  if (await createFileDurably(file, pemOf(key), 0o600)) return key;
  return offlineKeyFromPem(await readFile(file, 'utf8'));
}
