import path from 'node:path';
import type { GraduateCredentials, GraduateCredentialStore } from '../../domain/graduates/model.js';
import { copy } from './records.js';
import { Collection } from './collection.js';

export const GRADUATE_CREDENTIALS_FILE = 'graduate-credentials.json';

/** Graduates' password hashes in DATA_DIR/graduate-credentials.json, keyed by account ID. */
export async function openGraduateCredentialStore(dataDir: string): Promise<GraduateCredentialStore & { flush(): Promise<void> }> {
  const records = await Collection.open<GraduateCredentials>(path.join(dataDir, GRADUATE_CREDENTIALS_FILE), (c) => c.accountId);
  return {
    async get(accountId) {
      const c = records.records.get(accountId);
      return c ? copy(c) : null;
    },
    async insert(credentials) {
      if (records.records.has(credentials.accountId)) return false;
      records.records.set(credentials.accountId, copy(credentials));
      await records.commit();
      return true;
    },
    async update(accountId, patch) {
      const current = records.records.get(accountId);
      if (!current) return null;
      const after: GraduateCredentials = { ...current, ...copy(patch), accountId };
      records.records.set(accountId, after);
      await records.commit();
      return copy(after);
    },
    flush: () => records.flush(),
  };
}
