import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Application, ApplicationQuery, ApplicationStore } from '../../domain/applications/model.js';
import { applicationSearchKey } from '../../domain/applications/search.js';
import { pageWindow } from '../../domain/paging.js';
import { copy } from './records.js';
import { Collection } from './collection.js';

export const APPLICATIONS_FILE = 'applications.json';

const newestFirst = (a: Application, b: Application) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : a.createdAt < b.createdAt ? 1 : -1);

/**
 * Applications in DATA_DIR/applications.json. Each operation checks and changes memory in one
 * synchronous section, then awaits one durable write: `update` is the atomic "change only
 * while the status is still X" that keeps two staff decisions from both applying.
 */
export async function openApplicationStore(dataDir: string): Promise<ApplicationStore & { flush(): Promise<void> }> {
  await mkdir(dataDir, { recursive: true });
  const applications = await Collection.open<Application>(path.join(dataDir, APPLICATIONS_FILE), (a) => a.id);

  return {
    async insert(application) {
      if (applications.records.has(application.id)) throw new Error(`application ${application.id} exists already`);
      applications.records.set(application.id, copy(application));
      await applications.commit();
    },

    async get(id) {
      const a = applications.records.get(id);
      return a ? copy(a) : null;
    },

    async update(id, expected, changes) {
      const current = applications.records.get(id);
      if (!current || current.status !== expected.status || current.updatedAt !== expected.updatedAt) return applications.flush().then(() => null);
      const next: Application = { ...current, ...copy(changes), id };
      applications.records.set(id, next);
      await applications.commit();
      return copy(next);
    },

    async listForAccount(accountId) {
      return [...applications.records.values()]
        .filter((a) => a.accountId === accountId)
        .sort(newestFirst)
        .map(copy);
    },

    async list(filter: ApplicationQuery) {
      const { offset, limit } = pageWindow(filter);
      const matching = [...applications.records.values()]
        .filter(
          (a) =>
            (!filter.status || a.status === filter.status) &&
            (!filter.kind || a.kind === filter.kind) &&
            (!filter.searchKeyContains || applicationSearchKey(a).includes(filter.searchKeyContains)),
        )
        .sort(newestFirst);
      return { total: matching.length, items: matching.slice(offset, offset + limit).map(copy) };
    },

    flush: () => applications.flush(),
  };
}
