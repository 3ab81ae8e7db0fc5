import type { Server } from 'node:http';
import { getHeapStatistics } from 'node:v8';

/** How long without a new request counts as a pause in the traffic. */
const QUIET_MS = 250;
/** How often to look; and how much the heap must have grown since the last collection to collect again. */
const CHECK_MS = 500;
const GROWTH_BYTES = 8 * 1024 * 1024;

/**
 * Collects garbage in the pauses between requests, when the service was started with
 * `--expose-gc` (scripts/start.mjs does): V8 otherwise lets a busy spell's garbage stand until
 * its heap limit or its own idle heuristics (tens of seconds), and resident memory stays at the
 * busy spell's high-water mark. A full collection of this service's live heap takes a few
 * milliseconds; it runs only when no request has arrived for QUIET_MS and the heap has grown by
 * GROWTH_BYTES since the last one, so it never delays a request that is waiting. Without
 * `--expose-gc` this does nothing.
 */
export function collectWhenQuiet(server: Server): () => void {
  const gc = (globalThis as { gc?: (options?: { type: 'major'; execution: 'sync'; flavor: 'regular' | 'last-resort' }) => void }).gc;
  if (typeof gc !== 'function') return () => undefined;
  let lastRequest = 0;
  let afterLastGc = getHeapStatistics().used_heap_size;
  const onRequest = () => {
    lastRequest = performance.now();
  };
  server.on('request', onRequest);
  const timer = setInterval(() => {
    if (performance.now() - lastRequest < QUIET_MS) return;
    if (getHeapStatistics().used_heap_size - afterLastGc < GROWTH_BYTES) return;
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    afterLastGc = getHeapStatistics().used_heap_size;
  }, CHECK_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    server.off('request', onRequest);
  };
}
