import type { CampusJob, IssuedCertificate, MailOrder, Reservation } from '../../domain/certificates/model.js';
import { changedFields } from '../../domain/conditional-update.js';
import { expireReservation } from '../../domain/certificates/state-machines.js';
import type { CertificateStore } from '../../domain/certificates/store.js';
import { pageWindow } from '../../domain/paging.js';
import {
  CAMPUS_JOB_FIELDS,
  CERTIFICATE_FIELDS,
  MAIL_ORDER_FIELDS,
  PDF_DELIVERY_FIELDS,
  ORDER_SELECT,
  RESERVATION_FIELDS,
  toCampusJob,
  toCertificate,
  toMailOrder,
  toPdfDelivery,
  toOrder,
  toReservation,
  toType,
  TYPE_COLUMNS,
  typeValues,
  type CampusJobRow,
  type CertificateRow,
  type MailOrderRow,
  type PdfDeliveryRow,
  type OrderRow,
  type ReservationRow,
  type TypeRow,
} from './certificate-rows.js';
import { conditionalUpdate, insertRowsStatement, insertStatement } from './certificate-statements.js';
import { atomically, isUniqueViolation, type Queryable } from './queryable.js';
import { postgresCredentialStatus } from './credential-status.js';

/** PostgreSQL's foreign_key_violation. */
const isForeignKeyViolation = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === '23503';

/** A duplicate id or number is a bug of the caller: thrown as lowdb does, "… exists already". */
async function insertOnce(what: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (isUniqueViolation(err)) throw new Error(`${what} exists already`, { cause: err });
    throw err;
  }
}

const OPEN = "status IN ('reserved', 'printing')";

/**
 * The certificate store over PostgreSQL. Every conditional update is one `UPDATE … WHERE id = $1
 * AND <expected> RETURNING *` (certificate-rows.ts), so of two instances claiming one print exactly
 * one wins. A reservation number is held by the partial unique index `reservations_active_number`;
 * one still stored as reserved or printing past its expiry (and lease) is marked expired in the
 * same transaction before the number is given again. An order's certificate ids are not stored
 * twice: they are its certificates in line order (`position`, their order in `insertMany`).
 * Listings are newest first, ties by id descending, as in the lowdb store.
 */
export function openPostgresCertificateStore(db: Queryable): CertificateStore {
  const rows = async <Row>(text: string, values: unknown[]): Promise<Row[]> => (await db.query(text, values)).rows as Row[];
  const first = async <Row>(text: string, values: unknown[]): Promise<Row | null> => (await rows<Row>(text, values))[0] ?? null;

  return {
    types: {
      list: async () => (await rows<TypeRow>('SELECT * FROM certificate_types ORDER BY sort_order, code', [])).map(toType),
      get: async (code) => {
        const row = await first<TypeRow>('SELECT * FROM certificate_types WHERE code = $1', [code]);
        return row ? toType(row) : null;
      },
      async put(type) {
        const values = typeValues(type);
        const columns = TYPE_COLUMNS.split(', ');
        await db.query(
          `INSERT INTO certificate_types (${TYPE_COLUMNS}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})
           ON CONFLICT (code) DO UPDATE SET ${columns
             .slice(1)
             .map((c) => `${c} = EXCLUDED.${c}`)
             .join(', ')}`,
          values,
        );
      },
      async insert(type) {
        const values = typeValues(type);
        const { rowCount } = await db.query(
          `INSERT INTO certificate_types (${TYPE_COLUMNS}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (code) DO NOTHING`,
          values,
        );
        return rowCount === 1;
      },
      async remove(code) {
        try {
          const { rowCount } = await db.query(
            'DELETE FROM certificate_types WHERE code = $1 AND NOT EXISTS (SELECT 1 FROM certificates WHERE type_code = $1)',
            [code],
          );
          if (rowCount === 1) return 'removed';
        } catch (err) {
          // A certificate of it was issued between the check and the delete.
          if (isForeignKeyViolation(err)) return 'inUse';
          throw err;
        }
        return (await first('SELECT 1 FROM certificate_types WHERE code = $1', [code])) ? 'inUse' : 'absent';
      },
      async issuedCounts() {
        const counts = await rows<{ type_code: string; n: number }>('SELECT type_code, count(*)::int AS n FROM certificates GROUP BY type_code', []);
        return Object.fromEntries(counts.map((c) => [c.type_code, c.n]));
      },
    },

    orders: {
      async insert(order) {
        await insertOnce(`order ${order.id}`, () =>
          db.query(
            `INSERT INTO orders (id, account_id, student_id, destination, items, total_fee, language, fulfilment_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [
              order.id,
              order.accountId,
              order.studentId,
              order.destination,
              JSON.stringify(order.items),
              order.totalFee,
              order.language,
              order.fulfilmentId,
              order.createdAt,
            ],
          ),
        );
      },
      get: async (id) => {
        const row = await first<OrderRow>(`${ORDER_SELECT} WHERE o.id = $1`, [id]);
        return row ? toOrder(row) : null;
      },
      getMany: async (ids) => (await rows<OrderRow>(`${ORDER_SELECT} WHERE o.id = ANY($1::text[])`, [ids])).map(toOrder),
      listForAccount: async (accountId) =>
        (await rows<OrderRow>(`${ORDER_SELECT} WHERE o.account_id = $1 ORDER BY o.created_at DESC, o.id DESC`, [accountId])).map(toOrder),
    },

    certificates: {
      async insertMany(list) {
        if (list.length === 0) return;
        // Each certificate's line of its order: its place among that order's in this batch.
        const lines = new Map<string, number>();
        const positioned = list.map((c) => {
          const position = lines.get(c.orderId) ?? 0;
          lines.set(c.orderId, position + 1);
          return { ...c, position };
        });
        // One statement, one round trip: all rows or none.
        const { text, values } = insertRowsStatement('certificates', { ...CERTIFICATE_FIELDS, position: { column: 'position' } }, positioned);
        await insertOnce(`certificate number ${list.map((c) => c.number).join(', ')} or id`, () => db.query(text, values));
      },
      get: async (id) => {
        const row = await first<CertificateRow>('SELECT * FROM certificates WHERE id = $1', [id]);
        return row ? toCertificate(row) : null;
      },
      findByNumber: async (number) => {
        const row = await first<CertificateRow>('SELECT * FROM certificates WHERE number = upper(btrim($1))', [number]);
        return row ? toCertificate(row) : null;
      },
      getMany: async (ids) => (await rows<CertificateRow>('SELECT * FROM certificates WHERE id = ANY($1::text[])', [ids])).map(toCertificate),
      update: async (id, expected, changes) => {
        const row = await conditionalUpdate<IssuedCertificate, CertificateRow>(
          db,
          'certificates',
          CERTIFICATE_FIELDS,
          ['number', 'accountId', 'studentId', 'orderId'],
          id,
          expected,
          changes,
        );
        return row ? toCertificate(row) : null;
      },
      listForAccount: async (accountId) =>
        (await rows<CertificateRow>('SELECT * FROM certificates WHERE account_id = $1 ORDER BY issued_at DESC, id DESC', [accountId])).map(toCertificate),
      async search(filter) {
        const { offset, limit } = pageWindow(filter);
        const values: unknown[] = [];
        const where: string[] = [];
        if (filter.number !== undefined && filter.number.trim() !== '') where.push(`number = upper(btrim($${values.push(filter.number)}))`);
        if (filter.studentId !== undefined && filter.studentId.trim() !== '') where.push(`student_id = $${values.push(filter.studentId.trim())}`);
        if (filter.status !== undefined) where.push(`status = $${values.push(filter.status)}`);
        const condition = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
        const total = await first<{ n: number }>(`SELECT count(*)::int AS n FROM certificates ${condition}`, values);
        const items = await rows<CertificateRow>(
          `SELECT * FROM certificates ${condition} ORDER BY issued_at DESC, id DESC OFFSET $${values.length + 1} LIMIT $${values.length + 2}`,
          [...values, offset, limit],
        );
        return { total: total?.n ?? 0, items: items.map(toCertificate) };
      },
    },

    credentialStatus: postgresCredentialStatus(db),

    reservations: {
      insert: (reservation, now) =>
        atomically(db, async (tx) => {
          // The open reservations with this number, locked: a concurrent insert waits here.
          const open = (await tx.query<ReservationRow>(`SELECT * FROM reservations WHERE number = $1 AND ${OPEN} FOR UPDATE`, [reservation.number])).rows.map(
            toReservation,
          );
          for (const other of open) {
            const stale = expireReservation(other, now);
            // Still active at `now` (within its expiry, or a print under way keeps its lease).
            if (stale === null) return false;
            // Past it, but still holding the unique index until marked expired.
            const { status, updatedAt, reminderSentAt, claim } = other;
            const expired = await conditionalUpdate<Reservation, ReservationRow>(
              tx,
              'reservations',
              RESERVATION_FIELDS,
              [],
              other.id,
              { status, updatedAt, reminderSentAt, claim },
              changedFields(other, stale),
            );
            if (expired === null) return false;
          }
          const { text, values } = insertStatement('reservations', RESERVATION_FIELDS, reservation, `ON CONFLICT (number) WHERE ${OPEN} DO NOTHING`);
          const { rowCount } = await tx.query(text, values);
          return rowCount === 1;
        }),
      get: async (id) => {
        const row = await first<ReservationRow>('SELECT * FROM reservations WHERE id = $1', [id]);
        return row ? toReservation(row) : null;
      },
      getMany: async (ids) => (await rows<ReservationRow>('SELECT * FROM reservations WHERE id = ANY($1::text[])', [ids])).map(toReservation),
      // Insertion order: by creation time (a number is given again only after the earlier one ended).
      listByNumber: async (number) =>
        (await rows<ReservationRow>('SELECT * FROM reservations WHERE number = $1 ORDER BY created_at, id', [number])).map(toReservation),
      update: async (id, expected, changes) => {
        const row = await conditionalUpdate<Reservation, ReservationRow>(
          db,
          'reservations',
          RESERVATION_FIELDS,
          ['number', 'accountId', 'orderId'],
          id,
          expected,
          changes,
        );
        return row ? toReservation(row) : null;
      },
      listForAccount: async (accountId) =>
        (await rows<ReservationRow>('SELECT * FROM reservations WHERE account_id = $1 ORDER BY created_at DESC, id DESC', [accountId])).map(toReservation),
      unremindedExpiring: async ({ expiresAfter, expiresBy }) =>
        (
          await rows<ReservationRow>(
            `SELECT * FROM reservations WHERE ${OPEN} AND reminder_sent_at IS NULL AND expires_at > $1 AND expires_at <= $2 ORDER BY expires_at, id`,
            [expiresAfter, expiresBy],
          )
        ).map(toReservation),
      openExpiredBy: async (cutoff) =>
        (await rows<ReservationRow>(`SELECT * FROM reservations WHERE ${OPEN} AND expires_at <= $1 ORDER BY expires_at, id`, [cutoff])).map(toReservation),
    },

    campusJobs: {
      async insert(job) {
        const { text, values } = insertStatement('campus_jobs', CAMPUS_JOB_FIELDS, job);
        await insertOnce(`campus job ${job.id}`, () => db.query(text, values));
      },
      get: async (id) => {
        const row = await first<CampusJobRow>('SELECT * FROM campus_jobs WHERE id = $1', [id]);
        return row ? toCampusJob(row) : null;
      },
      getMany: async (ids) => (await rows<CampusJobRow>('SELECT * FROM campus_jobs WHERE id = ANY($1::text[])', [ids])).map(toCampusJob),
      update: async (id, expected, changes) => {
        const row = await conditionalUpdate<CampusJob, CampusJobRow>(db, 'campus_jobs', CAMPUS_JOB_FIELDS, ['accountId', 'orderId'], id, expected, changes);
        return row ? toCampusJob(row) : null;
      },
      listForAccount: async (accountId) =>
        (await rows<CampusJobRow>('SELECT * FROM campus_jobs WHERE account_id = $1 ORDER BY created_at DESC, id DESC', [accountId])).map(toCampusJob),
    },

    mailOrders: {
      async insert(order) {
        const { text, values } = insertStatement('mail_orders', MAIL_ORDER_FIELDS, order);
        await insertOnce(`mail order ${order.id}`, () => db.query(text, values));
      },
      get: async (id) => {
        const row = await first<MailOrderRow>('SELECT * FROM mail_orders WHERE id = $1', [id]);
        return row ? toMailOrder(row) : null;
      },
      getMany: async (ids) => (await rows<MailOrderRow>('SELECT * FROM mail_orders WHERE id = ANY($1::text[])', [ids])).map(toMailOrder),
      update: async (id, expected, changes) => {
        const row = await conditionalUpdate<MailOrder, MailOrderRow>(db, 'mail_orders', MAIL_ORDER_FIELDS, ['accountId', 'orderId'], id, expected, changes);
        return row ? toMailOrder(row) : null;
      },
      async list(filter) {
        const { offset, limit } = pageWindow(filter);
        const values = filter.status !== undefined ? [filter.status] : [];
        const condition = filter.status !== undefined ? 'WHERE status = $1' : '';
        const total = await first<{ n: number }>(`SELECT count(*)::int AS n FROM mail_orders ${condition}`, values);
        const items = await rows<MailOrderRow>(
          `SELECT * FROM mail_orders ${condition} ORDER BY created_at, id OFFSET $${values.length + 1} LIMIT $${values.length + 2}`,
          [...values, offset, limit],
        );
        return { total: total?.n ?? 0, items: items.map(toMailOrder) };
      },
    },

    pdfDeliveries: {
      async insert(delivery) {
        const { text, values } = insertStatement('pdf_deliveries', PDF_DELIVERY_FIELDS, delivery);
        await insertOnce(`pdf delivery ${delivery.id}`, () => db.query(text, values));
      },
      get: async (id) => {
        const row = await first<PdfDeliveryRow>('SELECT * FROM pdf_deliveries WHERE id = $1', [id]);
        return row ? toPdfDelivery(row) : null;
      },
      getMany: async (ids) => (await rows<PdfDeliveryRow>('SELECT * FROM pdf_deliveries WHERE id = ANY($1::text[])', [ids])).map(toPdfDelivery),
      findByTokenHash: async (tokenHash) => {
        const row = await first<PdfDeliveryRow>('SELECT * FROM pdf_deliveries WHERE token_hash = $1', [tokenHash]);
        return row ? toPdfDelivery(row) : null;
      },
      markOpened: async (id, at) => {
        const row = await first<PdfDeliveryRow>('UPDATE pdf_deliveries SET first_opened_at = COALESCE(first_opened_at, $2) WHERE id = $1 RETURNING *', [
          id,
          at,
        ]);
        return row ? toPdfDelivery(row) : null;
      },
      countDownload: async (id, at) => {
        // One statement: the row lock makes a second concurrent download re-check the limit on the counted row.
        const row = await first<PdfDeliveryRow>(
          `UPDATE pdf_deliveries SET downloads = downloads + 1, last_download_at = $2, first_opened_at = COALESCE(first_opened_at, $2)
           WHERE id = $1 AND downloads < max_downloads AND expires_at > $2 RETURNING *`,
          [id, at],
        );
        return row ? toPdfDelivery(row) : null;
      },
    },
  };
}
