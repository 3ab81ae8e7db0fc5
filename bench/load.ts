/**
 * A small HTTP/1.1 load generator: N keep-alive connections, each sending one request, reading the
 * whole response, and sending the next, for a fixed time. Raw sockets and a prepared request, so
 * the client costs far less per request than the servers it loads (node:http's client would cap
 * a bare Express at about its own speed).
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface LoadOptions {
  port: number;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationMs: number;
  /** Load before the measured time (not counted). Default 1 s. */
  warmUpMs?: number;
  /** The status every response must have. Default 200. */
  status?: number;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  /** Time to the first byte of the response, median. */
  firstByteP50ms: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

function requestBytes(o: LoadOptions): Buffer {
  const body = o.body === undefined ? undefined : Buffer.from(o.body);
  const lines = [`${o.method} ${o.path} HTTP/1.1`, `Host: 127.0.0.1:${o.port}`, 'Connection: keep-alive'];
  for (const [name, value] of Object.entries(o.headers ?? {})) lines.push(`${name}: ${value}`);
  if (body) lines.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body ?? Buffer.alloc(0)]);
}

/** One connection's loop; calls `done(latency, firstByte)` per response until `stop()` is true. */
function connection(o: LoadOptions, request: Buffer, done: (ms: number, firstByteMs: number) => void, stop: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(o.port, '127.0.0.1');
    socket.setNoDelay(true);
    let buffered: Buffer = Buffer.alloc(0);
    let sentAt = 0;
    let firstByteAt = 0;
    const send = () => {
      if (stop()) {
        socket.end();
        return resolve();
      }
      sentAt = performance.now();
      firstByteAt = 0;
      socket.write(request);
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
  const request = requestBytes(o);
  const warmUpMs = o.warmUpMs ?? 1000;
  const started = performance.now();
  const measureFrom = started + warmUpMs;
  const until = measureFrom + o.durationMs;
  const latencies: number[] = [];
  const firstBytes: number[] = [];
  let measuredEnd = 0;
  await Promise.all(
    Array.from({ length: o.connections }, () =>
      connection(
        o,
        request,
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
  const seconds = (Math.max(measuredEnd, measureFrom) - measureFrom) / 1000;
  return {
    requests: latencies.length,
    perSecond: Math.round(latencies.length / (seconds || o.durationMs / 1000)),
    p50ms: at(latencies, 0.5),
    p99ms: at(latencies, 0.99),
    firstByteP50ms: at(firstBytes, 0.5),
  };
}
