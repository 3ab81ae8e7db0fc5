import path from 'node:path';
import { Low } from 'lowdb';
import { DurableFile } from './durable-file.js';
import { activeUnit, type UnitFile } from './unit-of-work.js';

/** On disk, each collection is one file: `{ "version": 1, "records": [...] }`. */
export interface CollectionFile<R> {
  version: 1;
  records: R[];
}

/**
 * One collection: all records in memory (a Map by key), written whole to its own durable file.
 * Callers mutate the Map in one synchronous section and then `commit()`; nothing is written
 * when nothing changed. Inside a unit of work of its family (unit-of-work.ts), `commit()` only
 * marks the collection changed: the unit writes it (or reads it back) when it ends.
 */
export class Collection<R extends object> implements UnitFile {
  readonly records = new Map<string, R>();
  readonly #reloaded: Array<() => void> = [];

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

  get file(): string {
    return this.adapter.file;
  }

  /** Writes the current contents; resolves when they are durable (or, in a unit, when marked changed). */
  commit(): Promise<void> {
    const unit = activeUnit(path.dirname(this.file));
    if (unit) {
      unit.changed(this);
      return Promise.resolve();
    }
    this.db.data = this.snapshot();
    return this.db.write();
  }

  snapshot(): CollectionFile<R> {
    return { version: 1, records: [...this.records.values()] };
  }

  /** Reads the file again (the records a failed unit changed go back to their committed state). */
  async reload(): Promise<void> {
    const data = (await this.adapter.read()) ?? { version: 1, records: [] };
    this.db.data = data;
    this.records.clear();
    for (const record of data.records) this.records.set(this.keyOf(record), record);
    for (const listener of this.#reloaded) listener();
  }

  /** `listener` runs after every reload (a store rebuilds its indexes of these records). */
  onReload(listener: () => void): void {
    this.#reloaded.push(listener);
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
