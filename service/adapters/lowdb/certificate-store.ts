import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  type CampusJob,
  type CertificateType,
  type IssuedCertificate,
  type MailOrder,
  type Order,
  type PdfDelivery,
  type Reservation,
} from '../../domain/certificates/model.js';
import { expireReservations } from '../../domain/certificates/reservation-records.js';
import { type CertificateSearch, type CertificateStore, type MailOrderFilter } from '../../domain/certificates/store.js';
import { pageWindow } from '../../domain/paging.js';
import { copy, Index, newestBy, recordOperations, sameJson } from './records.js';
import { Collection } from './collection.js';
import { lowdbCredentialStatus, openCredentialStatusCollection } from './credential-status.js';
import { lowdbPdfDeliveries } from './pdf-delivery-store.js';

/** One file per kind of record in the data directory. */
export const CERTIFICATE_FILES = {
  types: 'certificate-types.json',
  orders: 'orders.json',
  certificates: 'certificates.json',
  reservations: 'reservations.json',
  campusJobs: 'campus-jobs.json',
  mailOrders: 'mail-orders.json',
  pdfDeliveries: 'pdf-deliveries.json',
} as const;

export type CertificateCollectionName = keyof typeof CERTIFICATE_FILES;

const DEFAULT_EXPIRE_INTERVAL_MS = 10 * 60 * 1000;

export interface CertificateStoreOptions {
  /** Time for the periodic expiry sweep (tests pin it). */
  now?: () => Date;
  /**
   * How often reservations past their expiry are marked `expired` on disk (`expireReservations`);
   * 0 disables the timer. Default 10 minutes. Expiry is also derived on read
   * (`reservationStatusAt`), so the sweep is bookkeeping, not a precondition of correctness.
   */
  expireIntervalMs?: number;
  /** Told about the reservations a periodic sweep expired (e.g. to audit them). */
  onExpired?: (expired: Reservation[]) => void;
  /** Where a failed periodic sweep is reported. Default: console.error. */
  onExpireError?: (err: unknown) => void;
  /** Runs the periodic sweep as a unit of work of the family (unit-of-work.ts); default: as is. */
  exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface LowdbCertificateStore extends CertificateStore {
  readonly dataDir: string;
  /** Number of records per collection (diagnostics, tests). */
  counts(): Record<CertificateCollectionName, number>;
  /** Resolves once every write requested so far is durable. */
  flush(): Promise<void>;
  /** Stops the sweep timer and waits for pending writes; later calls throw. */
  close(): Promise<void>;
}

const numberKey = (n: string): string => n.trim().toUpperCase();

/** A stored-field filter: reserved or printing, whatever `now` is (the sweeps' candidates). */
const isOpenReservation = (r: Reservation): boolean => r.status === 'reserved' || r.status === 'printing';

/**
 * Whether the stored reservation still holds its number at `now`: open, and its expiry or its
 * claim's lease is after `now` (`CertificateStore.reservations.insert` states the rule).
 */
const holdsNumber = (r: Reservation, now: string): boolean =>
  isOpenReservation(r) && (r.expiresAt > now || (r.status === 'printing' && (r.claim === null || r.claim.leaseUntil > now)));

/**
 * The certificate records over lowdb: one JSON file per kind (CERTIFICATE_FILES) in `dataDir`,
 * kept in memory after load, with indexes for numbers and per-account listings.
 *
 * Every operation checks and changes memory in one synchronous section, then awaits one durable
 * write of that collection (like `openApplicationStore`); so `update(id, expected, changes)` is an
 * atomic compare-and-set (of two claims read from the same record exactly one wins), and
 * `reservations.insert` checks number uniqueness and inserts with nothing in between. A refused
 * update writes nothing and yields null (after any in-flight write has landed). Records given and
 * returned are copies. An update may not change a record's id, account, order or number (the
 * indexes rely on it).
 *
 * One process per data directory: lowdb has no cross-process locking.
 */
export async function openCertificateStore(dataDir: string, options: CertificateStoreOptions = {}): Promise<LowdbCertificateStore> {
  const dir = path.resolve(dataDir);
  await mkdir(dir, { recursive: true });
  const file = (name: CertificateCollectionName) => path.join(dir, CERTIFICATE_FILES[name]);
  const [types, orders, certificates, reservations, campusJobs, mailOrders, statusEntries, pdfDeliveries] = await Promise.all([
    Collection.open<CertificateType>(file('types'), (t) => t.code),
    Collection.open<Order>(file('orders'), (o) => o.id),
    Collection.open<IssuedCertificate>(file('certificates'), (c) => c.id),
    Collection.open<Reservation>(file('reservations'), (r) => r.id),
    Collection.open<CampusJob>(file('campusJobs'), (j) => j.id),
    Collection.open<MailOrder>(file('mailOrders'), (m) => m.id),
    openCredentialStatusCollection(dir),
    Collection.open<PdfDelivery>(file('pdfDeliveries'), (d) => d.id),
  ]);
  const all = { types, orders, certificates, reservations, campusJobs, mailOrders, pdfDeliveries };

  const ordersByAccount = new Index();
  const certificateByNumber = new Map<string, string>();
  const certificatesByAccount = new Index();
  const certificatesByStudent = new Index();
  /** Certificates per type code: a type that was ever issued is never deleted. */
  const certificatesPerType = new Map<string, number>();
  const reservationsByNumber = new Index();
  const reservationsByAccount = new Index();
  /** Reservations whose stored status is reserved or printing (what sweeps look at). */
  const openReservations = new Set<string>();
  const campusJobsByAccount = new Index();
  const pdfDeliveryByToken = new Map<string, string>();

  const indexCertificate = (c: IssuedCertificate) => {
    certificateByNumber.set(numberKey(c.number), c.id);
    certificatesByAccount.add(c.accountId, c.id);
    certificatesByStudent.add(c.studentId, c.id);
    certificatesPerType.set(c.typeCode, (certificatesPerType.get(c.typeCode) ?? 0) + 1);
  };
  const indexReservation = (r: Reservation) => {
    reservationsByNumber.add(r.number, r.id);
    reservationsByAccount.add(r.accountId, r.id);
    if (isOpenReservation(r)) openReservations.add(r.id);
  };
  /** Builds every index from the records (at open, and after a failed unit put records back). */
  const reindex = () => {
    for (const index of [ordersByAccount, certificatesByAccount, certificatesByStudent, reservationsByNumber, reservationsByAccount, campusJobsByAccount])
      index.clear();
    for (const map of [certificateByNumber, certificatesPerType, pdfDeliveryByToken]) map.clear();
    openReservations.clear();
    for (const o of orders.records.values()) ordersByAccount.add(o.accountId, o.id);
    for (const c of certificates.records.values()) indexCertificate(c);
    for (const r of reservations.records.values()) indexReservation(r);
    for (const j of campusJobs.records.values()) campusJobsByAccount.add(j.accountId, j.id);
    for (const d of pdfDeliveries.records.values()) pdfDeliveryByToken.set(d.tokenHash, d.id);
  };
  reindex();
  for (const c of [orders, certificates, reservations, campusJobs, pdfDeliveries]) c.onReload(reindex);

  let closed = false;
  const live = () => {
    if (closed) throw new Error('The certificate store is closed.');
  };

  const { insertNew, getCopy, getManyCopies, listed, update } = recordOperations(live);

  const trackOpen = (r: Reservation) => {
    if (isOpenReservation(r)) openReservations.add(r.id);
    else openReservations.delete(r.id);
  };

  const clock = options.now ?? (() => new Date());
  const interval = options.expireIntervalMs ?? DEFAULT_EXPIRE_INTERVAL_MS;
  const onExpireError = options.onExpireError ?? ((err) => console.error('Shomei certificate store: expiring reservations failed:', err));
  const exclusive = options.exclusive ?? ((work) => work());
  const timer =
    interval > 0
      ? setInterval(() => {
          if (closed) return;
          exclusive(() => expireReservations(store.reservations, clock().toISOString()))
            .then((expired) => {
              if (expired.length > 0) options.onExpired?.(expired);
            })
            .catch(onExpireError);
        }, interval).unref()
      : null;
  const flushAll = () => Promise.all([...Object.values(all), statusEntries].map((c) => c.flush()));

  const store: LowdbCertificateStore = {
    dataDir: dir,

    types: {
      async list() {
        live();
        return [...types.records.values()].sort((a, b) => (a.sortOrder === b.sortOrder ? a.code.localeCompare(b.code) : a.sortOrder - b.sortOrder)).map(copy);
      },
      get: async (code) => getCopy(types, code),
      async put(type) {
        live();
        const before = types.records.get(type.code);
        if (before && sameJson(before, type)) return types.flush();
        types.records.set(type.code, copy(type));
        await types.commit();
      },
      async insert(type) {
        live();
        if (types.records.has(type.code)) return types.flush().then(() => false);
        types.records.set(type.code, copy(type));
        await types.commit();
        return true;
      },
      async remove(code) {
        live();
        if (!types.records.has(code)) return types.flush().then(() => 'absent' as const);
        if ((certificatesPerType.get(code) ?? 0) > 0) return types.flush().then(() => 'inUse' as const);
        types.records.delete(code);
        await types.commit();
        return 'removed';
      },
      async issuedCounts() {
        live();
        return Object.fromEntries(certificatesPerType);
      },
    },

    orders: {
      async insert(order) {
        live();
        insertNew(orders, order, 'order');
        ordersByAccount.add(order.accountId, order.id);
        await orders.commit();
      },
      get: async (id) => getCopy(orders, id),
      getMany: async (ids) => getManyCopies(orders, ids),
      async listForAccount(accountId) {
        live();
        return listed(
          orders,
          ordersByAccount.get(accountId),
          newestBy((o) => o.createdAt),
        );
      },
    },

    certificates: {
      async insertMany(list) {
        live();
        if (list.length === 0) return certificates.flush();
        const ids = new Set<string>();
        const numbers = new Set<string>();
        for (const c of list) {
          const key = numberKey(c.number);
          if (certificates.records.has(c.id) || ids.has(c.id)) throw new Error(`certificate ${c.id} exists already`);
          if (certificateByNumber.has(key) || numbers.has(key)) throw new Error(`certificate number ${c.number} exists already`);
          ids.add(c.id);
          numbers.add(key);
        }
        for (const c of list) indexCertificate(insertNew(certificates, c, 'certificate'));
        await certificates.commit();
      },
      get: async (id) => getCopy(certificates, id),
      async findByNumber(number) {
        live();
        const id = certificateByNumber.get(numberKey(number));
        const c = id === undefined ? undefined : certificates.records.get(id);
        return c ? copy(c) : null;
      },
      getMany: async (ids) => getManyCopies(certificates, ids),
      update: (id, expected, changes) => update<IssuedCertificate>(certificates, id, expected, changes, ['number', 'accountId', 'studentId', 'orderId']),
      async listForAccount(accountId) {
        live();
        return listed(
          certificates,
          certificatesByAccount.get(accountId),
          newestBy((c) => c.issuedAt),
        );
      },
      async search(filter: CertificateSearch) {
        live();
        const { offset, limit } = pageWindow(filter);
        let candidates: Iterable<string>;
        if (filter.number !== undefined && filter.number.trim() !== '') {
          const id = certificateByNumber.get(numberKey(filter.number));
          candidates = id === undefined ? [] : [id];
        } else if (filter.studentId !== undefined && filter.studentId.trim() !== '') {
          candidates = certificatesByStudent.get(filter.studentId.trim());
        } else {
          candidates = certificates.records.keys();
        }
        const studentId = filter.studentId?.trim() || undefined;
        const matching: IssuedCertificate[] = [];
        for (const id of candidates) {
          const c = certificates.records.get(id);
          if (!c) continue;
          if (studentId !== undefined && c.studentId !== studentId) continue;
          if (filter.status !== undefined && c.status !== filter.status) continue;
          matching.push(c);
        }
        matching.sort(newestBy((c) => c.issuedAt));
        return { total: matching.length, items: matching.slice(offset, offset + limit).map(copy) };
      },
    },

    credentialStatus: lowdbCredentialStatus(statusEntries, certificates, live),

    reservations: {
      async insert(reservation, now) {
        live();
        for (const id of reservationsByNumber.get(reservation.number)) {
          const other = reservations.records.get(id);
          if (other && holdsNumber(other, now)) return reservations.flush().then(() => false);
        }
        indexReservation(insertNew(reservations, reservation, 'reservation'));
        await reservations.commit();
        return true;
      },
      get: async (id) => getCopy(reservations, id),
      getMany: async (ids) => getManyCopies(reservations, ids),
      async listByNumber(number) {
        live();
        const out: Reservation[] = [];
        for (const id of reservationsByNumber.get(number)) {
          const r = reservations.records.get(id);
          if (r) out.push(copy(r));
        }
        return out;
      },
      update: (id, expected, changes) => update<Reservation>(reservations, id, expected, changes, ['number', 'accountId', 'orderId'], trackOpen),
      async listForAccount(accountId) {
        live();
        return listed(
          reservations,
          reservationsByAccount.get(accountId),
          newestBy((r) => r.createdAt),
        );
      },
      async unremindedExpiring({ expiresAfter, expiresBy }) {
        live();
        const due: Reservation[] = [];
        for (const id of openReservations) {
          const r = reservations.records.get(id);
          if (r && r.reminderSentAt === null && r.expiresAt > expiresAfter && r.expiresAt <= expiresBy) due.push(r);
        }
        return due.sort((a, b) => (a.expiresAt === b.expiresAt ? a.id.localeCompare(b.id) : a.expiresAt < b.expiresAt ? -1 : 1)).map(copy);
      },
      async openExpiredBy(cutoff) {
        live();
        const out: Reservation[] = [];
        for (const id of openReservations) {
          const r = reservations.records.get(id);
          if (r && r.expiresAt <= cutoff) out.push(copy(r));
        }
        return out;
      },
    },

    campusJobs: {
      async insert(job) {
        live();
        insertNew(campusJobs, job, 'campus job');
        campusJobsByAccount.add(job.accountId, job.id);
        await campusJobs.commit();
      },
      get: async (id) => getCopy(campusJobs, id),
      getMany: async (ids) => getManyCopies(campusJobs, ids),
      update: (id, expected, changes) => update<CampusJob>(campusJobs, id, expected, changes, ['accountId', 'orderId']),
      async listForAccount(accountId) {
        live();
        return listed(
          campusJobs,
          campusJobsByAccount.get(accountId),
          newestBy((j) => j.createdAt),
        );
      },
    },

    mailOrders: {
      async insert(order) {
        live();
        insertNew(mailOrders, order, 'mail order');
        await mailOrders.commit();
      },
      get: async (id) => getCopy(mailOrders, id),
      getMany: async (ids) => getManyCopies(mailOrders, ids),
      update: (id, expected, changes) => update<MailOrder>(mailOrders, id, expected, changes, ['accountId', 'orderId']),
      async list(filter: MailOrderFilter) {
        live();
        const { offset, limit } = pageWindow(filter);
        const matching = [...mailOrders.records.values()]
          .filter((m) => filter.status === undefined || m.status === filter.status)
          .sort((a, b) => (a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : a.createdAt < b.createdAt ? -1 : 1));
        return { total: matching.length, items: matching.slice(offset, offset + limit).map(copy) };
      },
    },

    pdfDeliveries: lowdbPdfDeliveries(pdfDeliveries, pdfDeliveryByToken, live),

    counts() {
      return Object.fromEntries(Object.entries(all).map(([name, c]) => [name, c.records.size])) as Record<CertificateCollectionName, number>;
    },

    async flush() {
      await flushAll();
    },

    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      await flushAll();
    },
  };
  return store;
}
