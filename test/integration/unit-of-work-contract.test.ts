/**
 * What `Stores.transaction` promises, run against every adapter family (lowdb files and a real
 * PostgreSQL): the changes of a transaction through several ports are kept together or not at
 * all, and two transactions competing for one reservation number cannot both have it. What only
 * lowdb does under kill -9 is in test/integration/unit-of-work-crash.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../service/domain/audit.js';
import type { TransactionStores } from '../../service/domain/stores.js';
import { certificate, certificateType, nextId, order, reservation, T0 } from '../support/certificate-records.js';
import { account } from '../support/factories.js';
import { useStoreFamilies, type StoreFamily } from '../support/store-families.js';

const PDF = new TextEncoder().encode('%PDF-1.7\n%%EOF\n');

/** The family with the account and the certificate type an order refers to. */
async function open(family: StoreFamily) {
  const stores = await family.open();
  await stores.store.accounts.insert(account({ id: 'acc-1' }));
  await stores.certificates.types.insert(certificateType({ code: 'enrollment' }));
  return stores;
}

const placedEntry = (orderId: string): Omit<AuditEntry, 'id'> => ({
  at: T0,
  actor: { type: 'student', id: 'acc-1', name: '山田 太郎' },
  action: 'certificate.order.placed',
  target: { type: 'order', id: orderId },
  before: null,
  after: { orderId },
  note: null,
});

/** An order as placing one writes it: certificate, its PDF, the order, its reservation and audit entry. */
function anOrder(number = '24681357') {
  const o = order({ id: nextId('order') });
  const c = certificate({ orderId: o.id });
  const r = reservation({ id: o.fulfilmentId, orderId: o.id, number });
  return { order: { ...o, certificateIds: [c.id] }, certificate: c, reservation: r };
}

async function write(tx: TransactionStores, placed: ReturnType<typeof anOrder>): Promise<boolean> {
  await tx.certificatePdfs.write(placed.certificate.number, PDF);
  await tx.certificates.certificates.insertMany([placed.certificate]);
  await tx.certificates.orders.insert(placed.order);
  const reserved = await tx.certificates.reservations.insert(placed.reservation, T0);
  await tx.audit.append(placedEntry(placed.order.id));
  return reserved;
}

describe.each(useStoreFamilies())('unit of work over $name', (family) => {
  it('keeps nothing of a transaction that throws after writing certificate, PDF, order, reservation and audit entry', async () => {
    const stores = await open(family);
    const placed = anOrder();
    const failure = new Error('the mail could not be queued');
    const outcome = stores.transaction(async (tx) => {
      await write(tx, placed);
      // Inside, the transaction sees its own writes.
      expect(await tx.certificates.orders.get(placed.order.id)).toEqual(placed.order);
      expect(await tx.certificatePdfs.read(placed.certificate.number)).toEqual(PDF);
      throw failure;
    });
    await expect(outcome).rejects.toBe(failure);

    expect(await stores.certificates.orders.get(placed.order.id)).toBeNull();
    expect(await stores.certificates.certificates.get(placed.certificate.id)).toBeNull();
    expect(await stores.certificates.certificates.findByNumber(placed.certificate.number)).toBeNull();
    expect(await stores.certificates.reservations.get(placed.reservation.id)).toBeNull();
    expect(await stores.certificates.reservations.listByNumber(placed.reservation.number)).toEqual([]);
    expect(await stores.certificatePdfs.read(placed.certificate.number)).toBeNull();
    expect((await stores.audit.list({})).total).toBe(0);
    expect(await stores.certificates.types.issuedCounts()).toEqual({});

    // Nothing of it holds a number or blocks a type: the same order can be placed afterwards.
    expect(await stores.transaction((tx) => write(tx, placed))).toBe(true);
    expect(await stores.certificates.types.remove('enrollment')).toBe('inUse');
  });

  it('keeps every write of a transaction that resolves, and hands back its result', async () => {
    const stores = await open(family);
    const placed = anOrder();
    expect(await stores.transaction((tx) => write(tx, placed))).toBe(true);

    expect(await stores.certificates.orders.get(placed.order.id)).toEqual(placed.order);
    expect(await stores.certificates.certificates.findByNumber(placed.certificate.number)).toEqual(placed.certificate);
    expect(await stores.certificates.reservations.get(placed.reservation.id)).toEqual(placed.reservation);
    expect(await stores.certificatePdfs.read(placed.certificate.number)).toEqual(PDF);
    const audit = await stores.audit.list({ targetId: placed.order.id });
    expect(audit.items.map((e) => e.action)).toEqual(['certificate.order.placed']);
  });

  it('never shows a read what a running transaction has changed but not committed', async () => {
    const stores = await open(family);
    let changed!: () => void;
    const hasChanged = new Promise<void>((resolve) => (changed = resolve));
    const failing = stores.transaction(async (tx) => {
      await tx.store.accounts.update('acc-1', { language: 'en' });
      changed();
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('the order cannot be placed');
    });
    await hasChanged;
    const [session, read] = await Promise.all([stores.store.sessions.get('none'), stores.store.accounts.get('acc-1'), failing.catch(() => {})]);
    expect(session).toBeNull();
    expect(read?.language).toBe('ja');
    expect((await stores.store.accounts.get('acc-1'))?.language).toBe('ja');
  });

  it('lets exactly one of two concurrent transactions reserve the same active number', async () => {
    const stores = await open(family);
    const orders = [anOrder('97531864'), anOrder('97531864')];
    const outcomes = await Promise.allSettled(
      orders.map((placed) =>
        stores.transaction(async (tx) => {
          if (!(await write(tx, placed))) throw new Error('the number is taken');
          return placed.order.id;
        }),
      ),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<string>).value;
    const loser = orders.find((o) => o.order.id !== winner)!;

    const holders = await stores.certificates.reservations.listByNumber('97531864');
    expect(holders.map((r) => r.orderId)).toEqual([winner]);
    expect(await stores.certificates.orders.get(loser.order.id)).toBeNull();
    expect(await stores.certificatePdfs.read(loser.certificate.number)).toBeNull();
    expect((await stores.audit.list({})).items.map((e) => e.target.id)).toEqual([winner]);
  });
});
