import type { SharedKeyStore } from '../../domain/stores.js';
import type { Queryable } from './queryable.js';

/**
 * Shared key material in `service_keys`. Instances starting at once may each generate a key, but
 * only the first INSERT is kept and every instance returns the stored row, so all use one key.
 */
export function openPostgresSharedKeys(db: Queryable): SharedKeyStore {
  const read = async (name: string): Promise<string | null> =>
    (await db.query<{ material: string }>('SELECT material FROM service_keys WHERE name = $1', [name])).rows[0]?.material ?? null;
  return {
    async getOrCreate(name, create) {
      const stored = await read(name);
      if (stored !== null) return stored;
      await db.query('INSERT INTO service_keys (name, material) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, await create()]);
      const kept = await read(name);
      if (kept === null) throw new Error(`the shared key "${name}" could not be stored`);
      return kept;
    },
  };
}
