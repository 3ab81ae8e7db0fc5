import { Low } from 'lowdb';
import { DurableFile } from './durable-file.js';

/** On disk, each collection is one file: `{ "version": 1, "records": [...] }`. */
export interface CollectionFile<R> {
  version: 1;
  records: R[];
}

/**
 * One collection: all records in memory (a Map by key), written whole to its own durable file.
 * Callers mutate the Map in one synchronous section and then `commit()`; nothing is written
 * when nothing changed.
 */
export class Collection<R extends object> {
  readonly records = new Map<string, R>();

  private constructor(
    private readonly db: Low<CollectionFile<R>>,
    private readonly adapter: DurableFile<CollectionFile<R>>,
    readonly keyOf: (record: R) => string,
  ) {}

  static async open<R extends object>(file: string, keyOf: (record: R) => string): Promise<Collection<R>> {
    const adapter = new DurableFile<CollectionFile<R>>(file, { parse: (json) => parseCollection(json, keyOf) });
    const db = new Low<CollectionFile<R>>(adapter, { version: 1, records: [] });
    await db.read();
    const collection = new Collection(db, adapter, keyOf);
    for (const record of db.data.records) collection.records.set(keyOf(record), record);
    return collection;
  }

  /** Writes the current contents; resolves when they are durable. */
  commit(): Promise<void> {
    this.db.data = { version: 1, records: [...this.records.values()] };
    return this.db.write();
  }

  /** Deletes the records matching `predicate`; returns how many. */
  deleteWhere(predicate: (record: R) => boolean): number {
    let n = 0;
    for (const [key, record] of this.records) {
      if (predicate(record)) {
        this.records.delete(key);
        n++;
      }
    }
    return n;
  }

  flush(): Promise<void> {
    return this.adapter.flush();
  }
}

function parseCollection<R>(json: unknown, keyOf: (record: R) => string): CollectionFile<R> {
  const file = json as Partial<CollectionFile<R>> | null;
  if (typeof file !== 'object' || file === null || !Array.isArray(file.records)) {
    throw new Error('expected an object with a "records" array');
  }
  if (file.version !== 1) throw new Error(`unsupported version ${JSON.stringify(file.version)}`);
  for (const record of file.records) {
    if (typeof record !== 'object' || record === null || typeof keyOf(record) !== 'string') {
      throw new Error('a record is not an object with its key');
    }
  }
  return { version: 1, records: file.records };
}

