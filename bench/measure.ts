import { performance } from 'node:perf_hooks';

export interface Measurement {
  name: string;
  runs: number;
  opsPerSecond: number;
  p50ms: number;
  p95ms: number;
  p99ms: number;
  heapMiB: number;
}

export interface MeasureOptions {
  /** Stop after this many milliseconds even when fewer than `runs` ran (at least `minRuns`). */
  budgetMs?: number;
  /** Default 5. */
  minRuns?: number;
  /** Runs before the measured ones. Default min(20, runs). */
  warmUp?: number;
}

/** Runs `fn` up to `runs` times one after another (after a short warm-up) and summarises the latencies. */
export async function measure(name: string, runs: number, fn: () => Promise<unknown>, options: MeasureOptions = {}): Promise<Measurement> {
  for (let i = 0; i < (options.warmUp ?? Math.min(20, runs)); i += 1) await fn();
  const times: number[] = [];
  const start = performance.now();
  const deadline = options.budgetMs === undefined ? Infinity : start + options.budgetMs;
  const minRuns = Math.min(runs, options.minRuns ?? 5);
  for (let i = 0; i < runs && (i < minRuns || performance.now() < deadline); i += 1) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return {
    name,
    runs: times.length,
    opsPerSecond: Math.round((times.length / total) * 1000),
    p50ms: Number(at(0.5).toFixed(3)),
    p95ms: Number(at(0.95).toFixed(3)),
    p99ms: Number(at(0.99).toFixed(3)),
    heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  };
}

export function report(title: string, rows: Measurement[]): void {
  console.log(`\n${title}`);
  console.table(rows.map(({ name, ...rest }) => ({ operation: name, ...rest })));
}
