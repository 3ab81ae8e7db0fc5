import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndKill, transpileTree } from '../support/kill-child.js';
import { openCertificateStore } from '../../service/adapters/lowdb/certificate-store.js';
import { type Reservation } from '../../service/domain/certificates/model.js';
import { isReservationActive } from '../../service/domain/certificates/state-machines.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The child, as fast as it can: issues certificates and reservations; two printers race to claim
 * each reservation (a double win is a crash); the winner completes; every other certificate is
 * revoked. Each acknowledged step is printed. Numbers repeat across rounds, so an insert whose
 * number is still active must be refused.
 */
const CHILD = `
import { openCertificateStore } from './service/adapters/lowdb/certificate-store.js';
import { claimReservation, completeReservationPrint, revokeCertificate } from './service/domain/certificates/state-machines.js';
import { transitionCertificate, transitionReservation } from './service/domain/certificates/transitions.js';
const [dir, round] = process.argv.slice(2);
const store = await openCertificateStore(dir, { expireIntervalMs: 0 });
const now = () => new Date().toISOString();
const far = new Date(Date.now() + 24 * 3600e3).toISOString();
const ack = (line) => process.stdout.write(line + '\\n');
let i = 0;
const inFlight = new Set();
ack('READY');
async function cycle() {
  const k = i++;
  const id = 'r' + round + '-' + k;
  const c = {
    id: 'c-' + id, number: 'SHM-2026-' + String(round).padStart(4, '0') + '-' + String(k).padStart(4, '0'),
    verificationCode: 'ABCDEFGHJK', orderId: 'o-' + id, accountId: 'acc-' + (k % 3), studentId: 'S' + (k % 5),
    typeCode: 'enrollment', language: 'ja', copies: 1, issueDate: '2026-11-24', validUntil: null, issuedAt: now(),
    holderNameKanji: '山田 太郎', offlinePayload: 'p', offlineKeyId: 'k1', status: 'valid',
    revokedAt: null, revokedBy: null, revocationReason: null,
  };
  await store.certificates.insertMany([c]);
  ack('C ' + c.id + ' ' + c.number);
  const r = {
    id, number: String(10000000 + (k % 40)), orderId: 'o-' + id, accountId: 'acc-' + (k % 3), status: 'reserved',
    createdAt: now(), expiresAt: far, reminderSentAt: null, claim: null, printedAt: null, attempts: [], updatedAt: now(),
  };
  if (await store.reservations.insert(r, now())) {
    ack('R ' + id);
    const t = now();
    const lease = new Date(Date.now() + 3600e3).toISOString();
    const claim = (by) => transitionReservation(store, id, (cur) => {
      const next = claimReservation(cur, { claimId: by + '-' + id, by, at: t, leaseUntil: lease });
      return 'refused' in next ? null : next;
    });
    const won = (await Promise.all([claim('A'), claim('B')])).filter(Boolean);
    if (won.length !== 1) throw new Error('claims won: ' + won.length);
    ack('P ' + id);
    const claimId = won[0].claim.claimId;
    if (!(await transitionReservation(store, id, (cur) => completeReservationPrint(cur, claimId, now())))) throw new Error('complete');
    ack('D ' + id);
  }
  if (k % 2 === 0) {
    const revoked = await transitionCertificate(store, c.id, (cur) => revokeCertificate(cur, { reason: 'test', by: 'staff', at: now() }));
    if (!revoked) throw new Error('revoke');
    ack('X ' + c.id);
  }
}
for (;;) {
  while (inFlight.size < 6) {
    const p = cycle().finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.race(inFlight);
}
`;

describe('certificate store durability under kill -9', () => {
  let buildDir: string;
  let script: string;
  let dataDir: string;

  beforeAll(() => {
    mkdirSync(path.join(root, 'node_modules', '.cache'), { recursive: true });
    buildDir = mkdtempSync(path.join(root, 'node_modules', '.cache', 'shomei-cert-durability-'));
    transpileTree(path.join(root, 'service/adapters/lowdb/certificate-store.ts'), buildDir);
    script = path.join(buildDir, 'child.mjs');
    writeFileSync(script, CHILD);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'shomei-cert-durability-'));
  });
  afterAll(() => {
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('never loses an acknowledged issue, claim, print or revocation, and never prints a reservation twice', async () => {
    const certificates = new Map<string, string>();
    const revoked = new Set<string>();
    const reserved = new Set<string>();
    const claimed = new Set<string>();
    const printed = new Set<string>();
    for (let round = 1; round <= 5; round++) {
      const lines = await runAndKill(script, dataDir, round, /\n[CRPDX] /);
      let count = 0;
      for (const line of lines) {
        const [kind, id, extra] = line.split(' ');
        if (kind === 'C') certificates.set(id!, extra!);
        else if (kind === 'X') revoked.add(id!);
        else if (kind === 'R') reserved.add(id!);
        else if (kind === 'P') claimed.add(id!);
        else if (kind === 'D') printed.add(id!);
        else continue;
        count++;
      }
      expect(count).toBeGreaterThan(0);

      for (const name of readdirSync(dataDir).filter((f) => f.endsWith('.json'))) {
        expect(() => JSON.parse(readFileSync(path.join(dataDir, name), 'utf8')), name).not.toThrow();
      }

      const store = await openCertificateStore(dataDir, { expireIntervalMs: 0 });
      try {
        expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
        for (const [id, number] of certificates) {
          const c = await store.certificates.findByNumber(number);
          expect(c?.id, `certificate ${id}`).toBe(id);
          if (revoked.has(id)) expect(c?.status, `revoked ${id}`).toBe('revoked');
        }
        for (const id of reserved) {
          const r = await store.reservations.get(id);
          expect(r, `reservation ${id}`).not.toBeNull();
          if (claimed.has(id)) expect(['printing', 'printed'], `claimed ${id}`).toContain(r!.status);
          if (printed.has(id)) expect(r!.status, `printed ${id}`).toBe('printed');
          // At most one print attempt ever started for each reservation.
          expect(r!.attempts.length, `attempts of ${id}`).toBeLessThanOrEqual(1);
        }
        // No number is held by two active reservations.
        const now = new Date().toISOString();
        const stored = JSON.parse(readFileSync(path.join(dataDir, 'reservations.json'), 'utf8')).records as Reservation[];
        const activeNumbers = stored.filter((r) => isReservationActive(r, now)).map((r) => r.number);
        expect(new Set(activeNumbers).size).toBe(activeNumbers.length);
      } finally {
        await store.close();
      }
    }
    expect(certificates.size).toBeGreaterThan(10);
    expect(printed.size).toBeGreaterThan(0);
  });
});
