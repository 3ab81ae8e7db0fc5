/**
 * What only the lowdb certificate store does: files on disk, indexes rebuilt on reopen, its own
 * expiry timer. What every family promises is in test/integration/certificate-store-contract.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CERTIFICATE_FILES, openCertificateStore, type LowdbCertificateStore } from '../../service/adapters/lowdb/certificate-store.js';
import type { Reservation } from '../../service/domain/certificates/model.js';
import { findReservationByNumber } from '../../service/domain/certificates/reservation-records.js';
import { type PrintRefusal } from '../../service/domain/certificates/state-machines.js';
import { transitionReservation } from '../../service/domain/certificates/transitions.js';
import {
  at,
  campusJob,
  certificate,
  certificateType,
  claim,
  claiming,
  mailOrder,
  order,
  pdfDelivery,
  reservation,
  T0,
} from '../support/certificate-records.js';

describe('lowdb certificate store', () => {
  let dir: string;
  let store: LowdbCertificateStore;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-certificates-'));
    store = await openCertificateStore(dir, { expireIntervalMs: 0 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('still refuses to delete a type in use after the store is reopened', async () => {
    await store.types.put(certificateType({ code: 'transcript', template: 'transcript' }));
    await store.certificates.insertMany([certificate({ typeCode: 'transcript' })]);
    await store.close();
    store = await openCertificateStore(dir, { expireIntervalMs: 0 });
    expect(await store.types.remove('transcript')).toBe('inUse');
    expect(await store.types.issuedCounts()).toEqual({ transcript: 1 });
  });

  it('keeps everything across close and reopen, one file per kind, indexes rebuilt', async () => {
    await store.types.put(certificateType());
    const o = order();
    await store.orders.insert(o);
    const c = certificate({ number: 'SHM-2026-KEEP-0001' });
    await store.certificates.insertMany([c]);
    const r = reservation({ number: '77778888' });
    await store.reservations.insert(r, T0);
    await transitionReservation(store, r.id, claiming(claim('c1', 1), []));
    await store.campusJobs.insert(campusJob());
    await store.mailOrders.insert(mailOrder());
    const d = pdfDelivery({ tokenHash: 'kept-hash' });
    await store.pdfDeliveries.insert(d);
    await store.close();

    for (const name of Object.values(CERTIFICATE_FILES)) {
      expect(JSON.parse(readFileSync(path.join(dir, name), 'utf8')).records, name).toHaveLength(1);
    }

    store = await openCertificateStore(dir, { expireIntervalMs: 0 });
    expect(store.counts()).toEqual({ types: 1, orders: 1, certificates: 1, reservations: 1, campusJobs: 1, mailOrders: 1, pdfDeliveries: 1 });
    expect(await store.pdfDeliveries.findByTokenHash('kept-hash')).toEqual(d);
    expect(await store.types.get('enrollment')).toEqual(certificateType());
    expect(await store.orders.listForAccount('acc-1')).toEqual([o]);
    expect((await store.certificates.findByNumber('SHM-2026-KEEP-0001'))?.id).toBe(c.id);
    expect((await findReservationByNumber(store.reservations, '77778888', at(2)))?.status).toBe('printing');
    // The claim is held across the restart: another printer is refused until its lease runs out.
    const refusals: PrintRefusal[] = [];
    expect(await transitionReservation(store, r.id, claiming(claim('c2', 2), refusals))).toBeNull();
    expect(refusals).toEqual(['busy']);
    expect(await store.reservations.insert(reservation({ number: '77778888' }), at(2))).toBe(false);
  });

  it('refuses to work once closed', async () => {
    await store.close();
    await expect(store.types.list()).rejects.toThrow(/closed/);
    store = await openCertificateStore(dir, { expireIntervalMs: 0 });
  });

  it('expires reservations on its own timer, reporting them, at the time it is given', async () => {
    await store.reservations.insert(reservation({ number: '40000001', expiresAt: at(60) }), T0);
    await store.close();
    const reported: Reservation[][] = [];
    store = await openCertificateStore(dir, { expireIntervalMs: 5, now: () => new Date(at(61)), onExpired: (e) => reported.push(e) });
    await expect.poll(() => reported.length).toBeGreaterThan(0);
    expect(reported[0]!.map((r) => r.number)).toEqual(['40000001']);
    expect((await findReservationByNumber(store.reservations, '40000001', at(61)))?.status).toBe('expired');
  });
});
