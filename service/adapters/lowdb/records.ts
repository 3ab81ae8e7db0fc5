import type { Collection } from './collection.js';

/**
 * What every lowdb store does with its in-memory records: hands out copies (callers never hold
 * the stored object), compares values, checks a conditional update's guard, orders, indexes.
 */

/**
 * A deep copy of a record given to or returned from a store. Records are plain data (objects,
 * arrays, strings, numbers, booleans, null), which a walk copies several times faster than
 * structuredClone; anything else inside (a Date, bytes) still goes through structuredClone.
 */
export const copy = <T>(value: T): T => copyPlain(value) as T;

function copyPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyPlain);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyPlain((value as Record<string, unknown>)[key]);
  return out;
}

/** Equal as stored (JSON): records are plain data. */
export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Whether the stored record has every value of `expected` (the guard of a conditional update). */
export const matches = <R extends object>(record: R, expected: object): boolean =>
  Object.entries(expected).every(([field, value]) => sameJson(record[field as keyof R], value));

/** Newest first by `field`, ties by id (descending) so the order is stable. */
export const newestBy =
  <R extends { id: string }>(field: (r: R) => string) =>
  (a: R, b: R): number =>
    field(a) === field(b) ? b.id.localeCompare(a.id) : field(a) < field(b) ? 1 : -1;

/** A multimap key → set of record ids. */
export class Index {
  private readonly map = new Map<string, Set<string>>();
  add(key: string, id: string): void {
    let ids = this.map.get(key);
    if (!ids) this.map.set(key, (ids = new Set()));
    ids.add(id);
  }
  get(key: string): ReadonlySet<string> {
    return this.map.get(key) ?? new Set();
  }
  clear(): void {
    this.map.clear();
  }
}

/**
 * A store's reads and writes over its collections, each after `live()` (which throws once the
 * store is closed). Every write checks and changes memory in one synchronous section, then awaits
 * one durable commit of that collection: a conditional update is an atomic compare-and-set.
 */
export function recordOperations(live: () => void) {
  function insertNew<R extends object>(collection: Collection<R>, record: R, what: string): R {
    const key = collection.keyOf(record);
    if (collection.records.has(key)) throw new Error(`${what} ${key} exists already`);
    const stored = copy(record);
    collection.records.set(key, stored);
    return stored;
  }

  function getCopy<R extends object>(collection: Collection<R>, id: string): R | null {
    live();
    const r = collection.records.get(id);
    return r ? copy(r) : null;
  }

  function getManyCopies<R extends object>(collection: Collection<R>, ids: string[]): R[] {
    live();
    const out: R[] = [];
    for (const id of new Set(ids)) {
      const r = collection.records.get(id);
      if (r) out.push(copy(r));
    }
    return out;
  }

  function listed<R extends { id: string }>(collection: Collection<R>, ids: Iterable<string>, order: (a: R, b: R) => number): R[] {
    const out: R[] = [];
    for (const id of ids) {
      const r = collection.records.get(id);
      if (r) out.push(r);
    }
    return out.sort(order).map(copy);
  }

  /**
   * The atomic compare-and-set: checks `expected`, applies `changes`, stores and commits with no
   * await in between. `fixed` lists fields an update must keep.
   */
  async function update<R extends { id: string }>(
    collection: Collection<R>,
    id: string,
    expected: object,
    changes: Partial<R>,
    fixed: readonly (keyof R)[],
    after?: (next: R) => void,
  ): Promise<R | null> {
    live();
    const current = collection.records.get(id);
    if (!current || !matches(current, expected)) return collection.flush().then(() => null);
    const next = { ...current, ...copy(changes) };
    for (const field of ['id', ...fixed] as (keyof R)[]) {
      if (!sameJson(next[field], current[field])) throw new Error(`an update may not change ${String(field)}`);
    }
    collection.records.set(id, next);
    after?.(next);
    await collection.commit();
    return copy(next);
  }

  return { insertNew, getCopy, getManyCopies, listed, update };
}
