import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreClaimResponse } from '../../service/contract/certificates.js';
import { openCertificateStore } from '../../service/adapters/lowdb/certificate-store.js';
import { PRINT_LEASE_SECONDS } from '../../service/domain/certificates/orders.js';
import { reservationPrintability } from '../../service/domain/certificates/state-machines.js';
import { startBuiltService } from '../support/built-service.js';
import { account } from '../support/factories.js';
import { freePort } from '../support/ports.js';
import { startService } from '../support/service.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RESERVATIONS = 48;
const ROUNDS = 3;
/** Reservations printed at once; two terminals race for each. */
const PARALLEL = 8;

/** What the terminals saw: who got every document of a number, and whose confirmation was answered. */
interface Seen {
  delivered: Map<string, string[]>;
  confirmed: Map<string, string[]>;
}

const note = (map: Map<string, string[]>, number: string, terminal: string) => map.set(number, [...(map.get(number) ?? []), terminal]);

/** A store terminal: its own session (CSRF) and, behind the trusted proxy, its own client address (the rate limit is per client). */
async function openTerminal(base: string, name: string) {
  const first = await fetch(`${base}/api/session`, { headers: { accept: 'application/json' } });
  const cookie = first.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  const { csrfToken } = (await first.json()) as { csrfToken: string };
  let calls = 0;
  const headers = () => {
    calls += 1;
    return {
      accept: 'application/json',
      'content-type': 'application/json',
      'x-csrf-token': csrfToken,
      cookie,
      'x-forwarded-for': `10.${name.length}.${calls >> 8}.${calls & 255}`,
    };
  };
  const post = (url: string, body: unknown) => fetch(`${base}${url}`, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
  const pdf = async (url: string) => {
    const res = await fetch(`${base}${url}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200 || bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error(`document ${url}: ${res.status}`);
  };
  return {
    /** Prints `number` the way the /store page does: claim, every document, confirm. Notes what it received and what the service confirmed. */
    async print(number: string, seen: Seen): Promise<void> {
      const res = await post('/api/store/claim', { number });
      if (res.status !== 200) return;
      const claim = (await res.json()) as StoreClaimResponse;
      for (const doc of claim.documents) await pdf(doc.url);
      note(seen.delivered, number, name);
      const confirmed = await post('/api/store/confirm', { number, claimId: claim.claimId });
      if (confirmed.status === 200) note(seen.confirmed, number, name);
    },
  };
}

describe('store printing when the service is killed with SIGKILL at any moment', () => {
  let dataDir: string;
  const numbers: string[] = [];
  const ids = new Map<string, string>();

  beforeAll(async () => {
    if (!existsSync(path.join(root, 'dist/service/server.js'))) throw new Error('dist/service/server.js is missing: run `npm run build` first (npm test does)');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'shomei-store-crash-'));
    // The reservations are placed in-process, then the built service prints them as its own process.
    const service = await startService({ DATA_DIR: dataDir });
    try {
      const holder = account({ studentIds: ['2101001'], nameKanji: '山田 太郎' });
      await service.stores.store.accounts.insert(holder);
      for (let i = 0; i < RESERVATIONS; i++) {
        const placed = await service.deps.certificates.orders.placeOrder(
          { account: holder, studentId: '2101001', destination: 'convenience', items: [{ typeCode: 'enrollment', language: 'ja', copies: 1 }] },
          new Date(),
        );
        numbers.push(placed.reservation!.number);
        ids.set(placed.reservation!.number, placed.reservation!.id);
      }
    } finally {
      await service.stop();
    }
  }, 180_000);
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves no reservation both undelivered and unprintable, and prints none twice', async () => {
    const seen: Seen = { delivered: new Map(), confirmed: new Map() };
    for (let round = 1; round <= ROUNDS; round++) {
      const port = await freePort();
      const child: ChildProcess = await startBuiltService({
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        TRUST_PROXY: '1',
        LOG_LEVEL: 'silent',
      });
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const base = `http://127.0.0.1:${port}`;
      const terminals = [await openTerminal(base, `A${round}`), await openTerminal(base, `BB${round}`)];
      const pending = numbers.filter((n) => !seen.confirmed.has(n));
      const confirmedBefore = seen.confirmed.size;
      let next = 0;
      // Two terminals race for each number; a request cut by the kill is simply lost.
      const workers = Array.from({ length: PARALLEL }, async () => {
        while (next < pending.length) {
          const number = pending[next++]!;
          await Promise.all(terminals.map((t) => t.print(number, seen).catch(() => {})));
        }
      });
      const finished = Promise.all(workers);
      if (round < ROUNDS) {
        // Once printing is under way, kill it at a random moment.
        while (seen.confirmed.size < confirmedBefore + 3 && next < pending.length) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setTimeout(r, Math.random() * 150));
      } else {
        await finished;
      }
      child.kill('SIGKILL');
      await exited;
      await finished;
    }

    // A claim cut off by the crash holds the number only until its lease runs out.
    const afterLease = new Date(Date.now() + (PRINT_LEASE_SECONDS + 1) * 1000).toISOString();
    const store = await openCertificateStore(dataDir, { expireIntervalMs: 0 });
    const problems: string[] = [];
    try {
      for (const number of numbers) {
        const r = await store.reservations.get(ids.get(number)!);
        if (!r) {
          problems.push(`${number}: reservation missing`);
          continue;
        }
        const delivered = seen.delivered.get(number) ?? [];
        const confirmed = seen.confirmed.get(number) ?? [];
        if (delivered.length === 0 && !reservationPrintability(r, afterLease).ok)
          problems.push(`${number}: ${r.status}, never delivered and no longer printable`);
        if (confirmed.length > 0 && r.status !== 'printed') problems.push(`${number}: confirmed to ${confirmed.join(', ')} but ${r.status}`);
        if (confirmed.length > 1) problems.push(`${number}: confirmed to ${confirmed.join(' and ')}`);
        if (r.attempts.filter((a) => a.outcome === 'printed').length > 1) problems.push(`${number}: printed more than once`);
      }
    } finally {
      await store.close();
    }
    expect(problems).toEqual([]);
    expect(seen.confirmed.size).toBeGreaterThan(RESERVATIONS / 2);
  }, 180_000);
});
