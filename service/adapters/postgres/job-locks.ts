import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { JobLocks } from '../../domain/stores.js';
import { localJobLocks } from '../local/job-locks.js';

/** The advisory lock key of a job: 64 bits of its name's hash (the migrator's key is a small constant). */
export const jobLockKey = (job: string): string => createHash('sha256').update(`shomei-job:${job}`).digest().readBigInt64BE(0).toString();

/**
 * Jobs serialised across every instance on the database by a session advisory lock held on a
 * connection of its own while the work runs (the work uses the pool as usual). Within this
 * process runs queue first, so waiting runs do not each hold a connection.
 */
export function postgresJobLocks(pool: pg.Pool): JobLocks {
  const local = localJobLocks();

  async function holding<T>(job: string, wait: boolean, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    const client = await pool.connect();
    const key = jobLockKey(job);
    let locked = false;
    try {
      if (wait) {
        await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
        locked = true;
      } else {
        locked = (await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key])).rows[0]?.locked === true;
        if (!locked) return { ran: false };
      }
      return { ran: true, value: await work() };
    } finally {
      // A connection whose unlock failed is closed rather than pooled: closing it releases the lock.
      const unlocked =
        !locked ||
        (await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).then(
          () => true,
          () => false,
        ));
      client.release(!unlocked);
    }
  }

  return {
    exclusive: (job, work) =>
      local.exclusive(job, async () => {
        const outcome = await holding(job, true, work);
        if (!outcome.ran) throw new Error(`job ${job} did not run`);
        return outcome.value;
      }),
    whenFree: (job, work) => local.exclusive(job, () => holding(job, false, work)),
  };
}
