/**
 * How the service's Node process is started (scripts/start.mjs, the benches, test/support's built
 * service): settings that only take effect when given before the process starts, each chosen for
 * memory, where the defaults size a process for throughput on a large machine.
 */

/**
 * V8's young generation at 2 MB per semi-space instead of 16: the service's requests allocate
 * little that lives, so a larger nursery only holds garbage longer, and V8 keeps the pages it grew
 * to (32 MB resident after the first busy minute). See README "Memory" for what it costs.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/**
 * The environment the service starts with: `env`, plus glibc's malloc limited to two arenas unless
 * set otherwise. By default every thread that allocates at a busy moment (V8's compiler and GC
 * threads, libuv's pool, zlib) may get an arena of its own, up to 8 per core, each keeping up to 64
 * MB of freed memory it rarely gives back: after the same start, resident memory varied by 80 MB.
 */
export function serviceEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: '2', ...env };
}
