/**
 * How the service's Node process is started (scripts/start.mjs, the benches, test/support's built
 * service): settings that only take effect when given before the process starts, each chosen for
 * memory, where the defaults size a process for throughput on a large machine.
 */

/** Lets the service collect garbage in the pauses between requests (service/idle-gc.ts). */
const EXPOSE_GC = '--expose-gc';

/**
 * V8's young generation at 2 MB per semi-space instead of 16: the service's requests allocate
 * little that lives, so a larger nursery only holds garbage longer, and V8 keeps the pages it grew
 * to (32 MB resident after the first busy minute). See README "Memory" for what it costs.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', EXPOSE_GC, ...asyncContextFrame()];

/**
 * AsyncLocalStorage (the lowdb unit of work's current transaction) carried by the async context
 * frame instead of promise hooks: with hooks, every promise of every request pays for a call into
 * them once the first store is opened. Node 24 does it this way by default; on Node 22 it takes
 * this flag (given only where this Node knows it).
 */
function asyncContextFrame(): string[] {
  const flag = '--experimental-async-context-frame';
  return process.allowedNodeEnvironmentFlags.has(flag) && Number(process.versions.node.split('.')[0]) < 24 ? [flag] : [];
}

/**
 * The environment the service starts with: `env`, plus glibc malloc settings unless set otherwise.
 * - Two arenas: by default every thread that allocates at a busy moment (V8's compiler and GC
 *   threads, libuv's pool, worker threads) may get an arena of its own, up to 8 per core, each
 *   keeping up to 64 MB of freed memory it rarely gives back: after the same start, resident memory
 *   varied by 80 MB.
 * - Fixed mmap and trim thresholds (glibc's defaults, 128 KB, without their dynamic growth): once a
 *   large block (a font file, a PDF) is freed, glibc would otherwise serve blocks up to its size
 *   from the arenas, where they stay resident after being freed (the main arena held 62 MB after
 *   start, 33 MB with these).
 */
export function serviceEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072', ...env };
}
