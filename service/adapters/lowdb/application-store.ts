import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Application, ApplicationFilter, ApplicationStore } from '../../domain/applications/model.js';
import { normalizeName } from '../../domain/registry/normalize.js';
import { Collection } from './collection.js';

export const APPLICATIONS_FILE = 'applications.json';
export const APPLICATIONS_DEFAULT_LIMIT = 50;
export const APPLICATIONS_MAX_LIMIT = 200;

const copy = <T>(value: T): T => structuredClone(value);
const newestFirst = (a: Application, b: Application) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : a.createdAt < b.createdAt ? 1 : -1);

/** Search key: widths folded, spaces removed, case ignored (so "山田　太郎" finds "山田 太郎"). */
const searchKey = (s: string) => normalizeName(s).replace(/ /g, '').toLowerCase();

function matchesSearch(a: Application, search: string): boolean {
  const wanted = searchKey(search);
  if (!wanted) return true;
  return [a.form.studentId, a.form.nameKanji, a.form.nameKana, a.form.nameRoman, a.mail].some((v) => searchKey(v).includes(wanted));
}

/**
 * Applications in DATA_DIR/applications.json. Each operation checks and changes memory in one
 * synchronous section, then awaits one durable write: `transition` is the atomic "change only
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

    async transition(id, expected, change) {
      const current = applications.records.get(id);
      if (!current || !expected.includes(current.status)) return applications.flush().then(() => null);
      const next = copy(change(copy(current)));
      if (next.id !== id) throw new Error('a transition may not change the application ID');
      applications.records.set(id, next);
      await applications.commit();
      return copy(next);
    },

    async listForAccount(accountId) {
      return [...applications.records.values()].filter((a) => a.accountId === accountId).sort(newestFirst).map(copy);
    },

    async list(filter: ApplicationFilter) {
      const offset = Math.max(0, Math.floor(filter.offset ?? 0));
      const limit = Math.min(APPLICATIONS_MAX_LIMIT, Math.max(1, Math.floor(filter.limit ?? APPLICATIONS_DEFAULT_LIMIT)));
      const matching = [...applications.records.values()]
        .filter(
          (a) =>
            (!filter.status || a.status === filter.status) &&
            (!filter.kind || a.kind === filter.kind) &&
            (!filter.search || matchesSearch(a, filter.search)),
        )
        .sort(newestFirst);
      return { total: matching.length, items: matching.slice(offset, offset + limit).map(copy) };
    },

    flush: () => applications.flush(),
  };
}
