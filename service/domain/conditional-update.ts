/**
 * State changes over ports that take data only: the domain reads a record, computes the next one
 * with a pure transition function, and asks the store to write the fields that changed only while
 * the record still has the values it was read with (the guard). A SQL adapter does that with one
 * `UPDATE … SET … WHERE id = $1 AND status = $2 AND …`; no function crosses the port.
 */

/** What a store offers for one kind of record: a read and a conditional update. */
export interface ConditionalUpdates<R, G, C> {
  get(id: string): Promise<R | null>;
  /** Writes `changes` only while the stored record matches `expected`; the record after, or null (absent or moved on). */
  update(id: string, expected: G, changes: C): Promise<R | null>;
}

/** A lost race re-reads and re-decides; past this many in a row the record counts as moved on. */
const MAX_ATTEMPTS = 20;

/** The fields of `next` whose values differ from `current` (compared as JSON). */
export function changedFields<R extends object>(current: R, next: R): Partial<R> {
  const changes: Partial<R> = {};
  for (const key of Object.keys(next) as (keyof R)[]) {
    if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) changes[key] = next[key];
  }
  return changes;
}

/**
 * Applies `change` to record `id` as one atomic step: `change` sees the latest stored record
 * (after a lost race it is called again on the newer one) and returns the next record, or null to
 * leave it. Resolves to the stored result, or null when absent, refused by `change` or moved on.
 */
export async function transition<R extends object, G>(
  records: ConditionalUpdates<R, G, Partial<R>>,
  id: string,
  change: (current: R) => R | null,
  guardOf: (current: R) => G,
): Promise<R | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await records.get(id);
    if (!current) return null;
    const next = change(structuredClone(current));
    if (!next) return null;
    const changes = changedFields(current, next);
    if (Object.keys(changes).length === 0) return current;
    const updated = await records.update(id, guardOf(current), changes);
    if (updated) return updated;
  }
  return null;
}
