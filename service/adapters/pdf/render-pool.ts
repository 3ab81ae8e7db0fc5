/**
 * Certificates rendered and signed on every core: a pool of worker threads (node:worker_threads),
 * each with the fonts, templates and signing key of its own, so the event loop that serves HTTP
 * only hands documents over. Workers start on first use; until one is ready (a second or so),
 * documents are rendered on the calling thread, so no request waits for a worker to boot. A worker
 * that dies is replaced and its jobs fail (the order reports the error, nothing is half-issued).
 * Idle workers do not keep the process alive, and stop after a while so their memory (fonts,
 * templates, a heap of their own: some 100 MB each) is only held while certificates are issued.
 */
import { Worker } from 'node:worker_threads';
import type { CertificateDocument } from '../../domain/certificates/document.js';
import type { SignatureSlot } from './certificate-template.js';
import type { RenderJob, RenderReply } from './render-worker.js';
import type { PdfSignerOptions } from './signing.js';

export interface RenderPool {
  /** Renders `doc` with the signature placeholder of `slot` and signs it, in a worker. */
  produce(doc: CertificateDocument, slot: SignatureSlot): Promise<Uint8Array>;
  readonly size: number;
  /** Starts every worker and resolves once all are ready (benches, tests; the service just starts working). */
  warmUp(): Promise<void>;
  /** Stops the workers; jobs under way fail. */
  close(): Promise<void>;
}

export interface RenderPoolOptions {
  size: number;
  keys: PdfSignerOptions;
  /** Renders and signs on the calling thread, while no worker is ready yet. */
  local: (doc: CertificateDocument, slot: SignatureSlot) => Promise<Uint8Array>;
  /** How long a worker waits for work before it stops (default a minute). */
  idleMs?: number;
}

interface Pending {
  resolve: (pdf: Uint8Array) => void;
  reject: (err: Error) => void;
}

/** A worker with nothing to do for this long stops; the next job starts it again. */
const IDLE_MS = 60_000;

interface Member {
  worker: Worker;
  idle: NodeJS.Timeout | null;
  ready: boolean;
  whenReady: Promise<void>;
  pending: Map<number, Pending>;
}

/** The worker's module next to this one: compiled JavaScript in production, TypeScript through tsx in tests and benches. */
function spawn(keys: PdfSignerOptions): Worker {
  const typescript = import.meta.url.endsWith('.ts');
  const file = new URL(typescript ? './render-worker.ts' : './render-worker.js', import.meta.url);
  return new Worker(file, { workerData: keys, execArgv: typescript ? ['--import', 'tsx'] : [], resourceLimits: { maxYoungGenerationSizeMb: 4 } }); // a small young generation: less memory, about the same speed
}

export function createRenderPool(options: RenderPoolOptions): RenderPool {
  const size = Math.max(1, options.size);
  const members: (Member | null)[] = Array.from({ length: size }, () => null);
  let nextId = 1;
  let closed = false;

  const rest = (member: Member): void => {
    member.worker.unref();
    member.idle = setTimeout(() => void member.worker.terminate(), options.idleMs ?? IDLE_MS);
    member.idle.unref();
  };

  const start = (i: number): Member => {
    const worker = spawn(options.keys);
    let readyNow = () => {};
    let failedNow: (err: Error) => void = () => {};
    const whenReady = new Promise<void>((resolve, reject) => {
      readyNow = resolve;
      failedNow = reject;
    });
    whenReady.catch(() => {});
    const member: Member = { worker, idle: null, ready: false, whenReady, pending: new Map() };
    member.worker.unref();
    member.worker.on('message', (reply: RenderReply) => {
      if ('ready' in reply) {
        member.ready = true;
        readyNow();
        if (member.pending.size === 0) rest(member);
        return;
      }
      const job = member.pending.get(reply.id);
      if (!job) return;
      member.pending.delete(reply.id);
      if (member.pending.size === 0) rest(member);
      if ('error' in reply) job.reject(new Error(`PDF rendering failed: ${reply.error}`));
      else job.resolve(reply.pdf);
    });
    const fail = (err: Error) => {
      if (member.idle) clearTimeout(member.idle);
      failedNow(err);
      for (const job of member.pending.values()) job.reject(err);
      member.pending.clear();
      if (members[i] === member) members[i] = null; // the next job starts a new worker
    };
    member.worker.on('error', fail);
    member.worker.on('exit', (code) => fail(new Error(`PDF worker stopped (exit code ${code})`)));
    members[i] = member;
    return member;
  };

  return {
    size,
    produce(doc, slot) {
      if (closed) return Promise.reject(new Error('The PDF render pool is closed.'));
      let best: Member | null = null;
      members.forEach((m, i) => {
        if (!m) start(i);
        else if (m.ready && (!best || m.pending.size < best.pending.size)) best = m;
      });
      const member = best as Member | null;
      if (!member) return options.local(doc, slot);
      const id = nextId++;
      return new Promise<Uint8Array>((resolve, reject) => {
        member.pending.set(id, { resolve, reject });
        if (member.idle) clearTimeout(member.idle);
        member.idle = null;
        member.worker.ref();
        member.worker.postMessage({ id, doc, slot } satisfies RenderJob);
      });
    },
    async warmUp() {
      await Promise.all(members.map((m, i) => (m ?? start(i)).whenReady));
    },
    async close() {
      closed = true;
      for (const m of members) if (m?.idle) clearTimeout(m.idle);
      await Promise.all(members.map((m) => m?.worker.terminate()));
    },
  };
}
