import { performance } from 'node:perf_hooks';

export interface Measurement {
  name: string;
  runs: number;
  opsPerSecond: number;
  p50ms: number;
  p95ms: number;
  heapMiB: number;
}

/** Runs `fn` `runs` times one after another (after a short warm-up) and summarises the latencies. */
export async function measure(name: string, runs: number, fn: () => Promise<unknown>): Promise<Measurement> {
  for (let i = 0; i < Math.min(20, runs); i += 1) await fn();
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return {
    name,
    runs,
    opsPerSecond: Math.round((runs / total) * 1000),
    p50ms: Number(at(0.5).toFixed(2)),
    p95ms: Number(at(0.95).toFixed(2)),
    heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  };
}

export function report(title: string, rows: Measurement[]): void {
  console.log(`\n${title}`);
  console.table(rows.map(({ name, ...rest }) => ({ operation: name, ...rest })));
}
