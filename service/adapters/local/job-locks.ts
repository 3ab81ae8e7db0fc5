import type { JobLocks } from '../../domain/stores.js';

/** Jobs serialised within this process: the lowdb family has one instance by construction. */
export function localJobLocks(): JobLocks {
  const queues = new Map<string, Promise<unknown>>();
  const exclusive = <T>(job: string, work: () => Promise<T>): Promise<T> => {
    const run = (queues.get(job) ?? Promise.resolve()).then(work, work);
    const settled = run.catch(() => undefined);
    queues.set(job, settled);
    // Forget a queue once idle, so names do not accumulate.
    void settled.then(() => {
      if (queues.get(job) === settled) queues.delete(job);
    });
    return run;
  };
  return {
    exclusive,
    whenFree: async (job, work) => ({ ran: true, value: await exclusive(job, work) }),
  };
}
