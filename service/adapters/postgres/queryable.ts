import pg from 'pg';

/**
 * What the PostgreSQL adapters run their SQL on: a pool (each statement its own transaction) or a
 * client checked out of it that is inside a transaction (a unit of work handing the same adapters
 * one transaction for several ports).
 */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Runs `work` as one transaction: on a pool, its own on a checked-out connection; on a client, the
 * transaction that client is already in (its caller commits or rolls back).
 */
export async function atomically<T>(db: Queryable, work: (tx: Queryable) => Promise<T>): Promise<T> {
  if (!(db instanceof pg.Pool)) return work(db);
  const client = await db.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // A connection that cannot even roll back is closed rather than pooled.
    broken = await client.query('ROLLBACK').then(
      () => false,
      () => true,
    );
    throw err;
  } finally {
    client.release(broken);
  }
}

/** PostgreSQL's unique_violation. */
export const isUniqueViolation = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === '23505';

/** A timestamptz as the domain keeps instants: an ISO-8601 string in UTC with milliseconds. */
export const isoOf = (value: Date): string => value.toISOString();
export const isoOrNull = (value: Date | null): string | null => (value === null ? null : value.toISOString());

/** A value for a jsonb parameter: `pg` would send a JS string or array as text or a PostgreSQL array, not JSON. */
export const jsonParam = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));
