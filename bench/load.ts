/**
 * A small HTTP/1.1 load generator: N keep-alive connections, each sending one request, reading the
 * whole response, and sending the next, for a fixed time. Raw sockets and a prepared request, so
 * the client costs far less per request than the servers it loads (node:http's client would cap
 * a bare Express at about its own speed).
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface LoadOptions {
  port: number;
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent in turn, one per request on each connection (e.g. two values, so that every write changes something). */
  bodies?: string[];
  connections: number;
  durationMs: number;
  /** Load before the measured time (not counted). Default 1 s. */
  warmUpMs?: number;
  /** The status every response must have. Default 200. */
  status?: number;
  /** The server's CPU time so far in seconds (cpuSecondsOf), read when the measured time starts and ends. */
  cpuSeconds?: () => number;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  /** Time to the first byte of the response, median. */
  firstByteP50ms: number;
  /** Requests per second of the server's CPU time (with `cpuSeconds`): its speed however much of a core it got. */
  perCpuSecond: number;
}

/** A process's CPU time (user + system) in seconds, from /proc (Linux); NaN elsewhere. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

const HEADER_END = Buffer.from('\r\n\r\n');

function requestBytes(o: LoadOptions, text: string | undefined): Buffer {
  const body = text === undefined ? undefined : Buffer.from(text);
  const lines = [`${o.method} ${o.path} HTTP/1.1`, `Host: 127.0.0.1:${o.port}`, 'Connection: keep-alive'];
  for (const [name, value] of Object.entries(o.headers ?? {})) lines.push(`${name}: ${value}`);
  if (body) lines.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body ?? Buffer.alloc(0)]);
}

/** One connection's loop; calls `done(latency, firstByte)` per response until `stop()` is true. */
function connection(o: LoadOptions, requests: Buffer[], done: (ms: number, firstByteMs: number) => void, stop: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(o.port, '127.0.0.1');
    socket.setNoDelay(true);
    let buffered: Buffer = Buffer.alloc(0);
    let sentAt = 0;
    let firstByteAt = 0;
    let sent = 0;
    const send = () => {
      if (stop()) {
        socket.end();
        return resolve();
      }
      sentAt = performance.now();
      firstByteAt = 0;
      socket.write(requests[sent++ % requests.length]!);
    };
    socket.on('connect', send);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      if (firstByteAt === 0) firstByteAt = performance.now();
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      for (;;) {
        const end = buffered.indexOf(HEADER_END);
        if (end < 0) return;
        const head = buffered.subarray(0, end).toString('latin1');
        const status = Number(head.slice(9, 12));
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (!length) return reject(new Error(`${o.method} ${o.path}: a response without Content-Length:\n${head}`));
        const total = end + 4 + Number(length[1]);
        if (buffered.length < total) return;
        if (status !== (o.status ?? 200)) {
          socket.destroy();
          return reject(new Error(`${o.method} ${o.path} answered ${status}:\n${buffered.subarray(0, total).toString()}`));
        }
        buffered = buffered.subarray(total);
        const now = performance.now();
        done(now - sentAt, firstByteAt - sentAt);
        send();
      }
    });
  });
}

export async function load(o: LoadOptions): Promise<LoadResult> {
  const requests = (o.bodies ?? [undefined]).map((body) => requestBytes(o, body));
  const warmUpMs = o.warmUpMs ?? 1000;
  const started = performance.now();
  const measureFrom = started + warmUpMs;
  const until = measureFrom + o.durationMs;
  const latencies: number[] = [];
  const firstBytes: number[] = [];
  let measuredEnd = 0;
  let cpuStart = NaN;
  let cpuEnd = NaN;
  const cpuTimers = o.cpuSeconds
    ? [setTimeout(() => (cpuStart = o.cpuSeconds!()), warmUpMs), setTimeout(() => (cpuEnd = o.cpuSeconds!()), warmUpMs + o.durationMs)]
    : [];
  await Promise.all(
    Array.from({ length: o.connections }, () =>
      connection(
        o,
        requests,
        (ms, firstByteMs) => {
          const now = performance.now();
          if (now < measureFrom || now > until) return;
          latencies.push(ms);
          firstBytes.push(firstByteMs);
          measuredEnd = now;
        },
        () => performance.now() >= until,
      ),
    ),
  );
  const at = (list: number[], q: number) => {
    const sorted = [...list].sort((a, b) => a - b);
    return Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN).toFixed(2));
  };
  cpuTimers.forEach(clearTimeout);
  const seconds = (Math.max(measuredEnd, measureFrom) - measureFrom) / 1000;
  return {
    perCpuSecond: Math.round(latencies.length / (cpuEnd - cpuStart)),
    requests: latencies.length,
    perSecond: Math.round(latencies.length / (seconds || o.durationMs / 1000)),
    p50ms: at(latencies, 0.5),
    p99ms: at(latencies, 0.99),
    firstByteP50ms: at(firstBytes, 0.5),
  };
}
