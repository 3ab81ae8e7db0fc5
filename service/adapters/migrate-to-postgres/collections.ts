/**
 * Every collection of a DATA_DIR as the migration copies it into PostgreSQL (through the
 * PostgreSQL adapters' ports, which keep each record's IDs and instants as given) and reads it back
 * for the check (through those ports again, by key; SQL with the adapter's own row mapping only where
 * no port reads without consuming, or only pages at a time).
 * Listed in the order the copy runs: what a foreign key points at comes first.
 */
import { toEntry, type AuditRow } from '../postgres/audit-store.js';
import { isoOf, type Queryable } from '../postgres/queryable.js';
import type { AuditEntry } from '../../domain/audit.js';
import type { IssuedCertificate } from '../../domain/certificates/model.js';
import { INSTITUTION_IMAGE_KINDS, type InstitutionImage } from '../../domain/institution/model.js';
import { searchable } from '../../domain/registry/search.js';
import type { GradeRecord } from '../../domain/registry/model.js';
import type { TransactionStores } from '../../domain/stores.js';
import type { LowdbData, ReplayCacheEntry } from './source.js';

/** The transaction the copy runs in. */
export interface MigrationTarget {
  /** Every PostgreSQL port, over the transaction's connection. */
  ports: TransactionStores;
  /** That connection, for what no port reads. */
  db: Queryable;
  /**
   * The IDs the audit port gives the entries it appends next, in order: the port makes a new ID
   * per entry, and the copy must keep the entries' IDs from DATA_DIR.
   */
  auditIds: string[];
}

export interface CollectionCopy<R> {
  /** Shown in the table. */
  name: string;
  /** The PostgreSQL table its records become rows of (counted in the check). */
  table: string;
  keyOf(record: R): string;
  records(data: LowdbData): R[];
  /** Writes `records` (this collection's part of `data`). */
  copy(target: MigrationTarget, records: R[], data: LowdbData): Promise<void>;
  /** What PostgreSQL gives back for these records (rows the copy did not write show in the table's count). */
  readBack(target: MigrationTarget, records: R[]): Promise<R[]>;
  /** The order PostgreSQL lists them in must be the order of `records` (the audit log's append order). */
  ordered?: boolean;
}

/** One collection's copy; its record type comes from the part of LowdbData it copies. */
const collection = <R>(records: (data: LowdbData) => R[], spec: Omit<CollectionCopy<R>, 'records'>): CollectionCopy<unknown> =>
  ({ records, ...spec }) as CollectionCopy<unknown>;

/** `get` for every key, one after another (one connection runs one query at a time); the found records. */
async function byKeys<R>(keys: string[], get: (key: string) => Promise<R | null>): Promise<R[]> {
  const out: R[] = [];
  for (const key of keys) {
    const r = await get(key);
    if (r !== null) out.push(r);
  }
  return out;
}

/** `getMany` over chunks of keys. */
async function manyByKeys<R>(keys: string[], getMany: (keys: string[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < keys.length; i += 1000) out.push(...(await getMany(keys.slice(i, i + 1000))));
  return out;
}

async function inOrder<R>(records: R[], write: (r: R) => Promise<unknown>): Promise<void> {
  for (const r of records) await write(r);
}

/** Throws when a port refused an insert (a conflict inside DATA_DIR itself, e.g. two accounts for one IdP identity). */
const inserted = (what: string) => (ok: boolean) => {
  if (!ok) throw new Error(`${what} was refused by PostgreSQL (it conflicts with a record copied before it)`);
};

const gradeKey = (g: GradeRecord): string => JSON.stringify([g.studentId, g.courseCode, g.term]);

export const COLLECTIONS: CollectionCopy<unknown>[] = [
  collection((d) => d.accounts, {
    name: 'accounts',
    table: 'accounts',
    keyOf: (a) => a.id,
    copy: ({ ports }, list) => inOrder(list, (a) => ports.store.accounts.insert(a).then(inserted(`account ${a.id}`))),
    readBack: ({ ports }, list) =>
      byKeys(
        list.map((a) => a.id),
        (id) => ports.store.accounts.get(id),
      ),
  }),
  collection((d) => d.sessions, {
    name: 'sessions',
    table: 'sessions',
    keyOf: (s) => s.idHash,
    copy: ({ ports }, list) => inOrder(list, (s) => ports.store.sessions.put(s)),
    readBack: ({ ports }, list) =>
      byKeys(
        list.map((s) => s.idHash),
        (k) => ports.store.sessions.get(k),
      ),
  }),
  collection((d) => d.tokens, {
    name: 'one-time tokens',
    table: 'one_time_tokens',
    keyOf: (t) => t.hash,
    copy: ({ ports }, list) => inOrder(list, (t) => ports.store.tokens.insert(t)),
    readBack: ({ ports }, list) =>
      byKeys(
        list.map((t) => t.hash),
        (k) => ports.store.tokens.get(k),
      ),
  }),
  collection<ReplayCacheEntry>((d) => d.replayCache, {
    name: 'SAML replay cache',
    table: 'saml_replay_cache',
    keyOf: (e) => e.id,
    copy: ({ ports }, list) => inOrder(list, (e) => ports.store.saml.rememberAssertion(e.id, e.expiresAt).then(inserted(`replay cache entry ${e.id}`))),
    // The port only answers "seen before?" by remembering: read the rows.
    readBack: async ({ db }) =>
      (await db.query<{ id: string; expires_at: Date }>('SELECT id, expires_at FROM saml_replay_cache')).rows.map((r) => ({
        id: r.id,
        expiresAt: isoOf(r.expires_at),
      })),
  }),
  collection((d) => d.graduateCredentials, {
    name: 'graduate credentials',
    table: 'graduate_credentials',
    keyOf: (c) => c.accountId,
    copy: ({ ports }, list) => inOrder(list, (c) => ports.graduateCredentials.insert(c).then(inserted(`graduate credentials of ${c.accountId}`))),
    readBack: ({ ports }, list) =>
      byKeys(
        list.map((c) => c.accountId),
        (k) => ports.graduateCredentials.get(k),
      ),
  }),
  collection((d) => d.applications, {
    name: 'applications',
    table: 'applications',
    keyOf: (a) => a.id,
    copy: ({ ports }, list) => inOrder(list, (a) => ports.applications.insert(a)),
    readBack: ({ ports }, list) =>
      byKeys(
        list.map((a) => a.id),
        (id) => ports.applications.get(id),
      ),
  }),
  collection((d) => d.students, {
    name: 'registry students',
    table: 'registry_students',
    keyOf: (s) => s.studentId,
    copy: async ({ ports }, list) => ports.registry.upsertStudents(list.map(searchable)),
    readBack: ({ ports }, list) =>
      manyByKeys(
        list.map((s) => s.studentId),
        (ids) => ports.registry.getStudents(ids),
      ),
  }),
  collection<GradeRecord>((d) => d.grades, {
    name: 'registry grades',
    table: 'registry_grades',
    keyOf: gradeKey,
    copy: async ({ ports }, list) => ports.registry.replaceGrades([...new Set(list.map((g) => g.studentId))], list),
    readBack: ({ ports }, list) => ports.registry.gradesOfStudents([...new Set(list.map((g) => g.studentId))]),
  }),
  collection((d) => d.certificateTypes, {
    name: 'certificate types',
    table: 'certificate_types',
    keyOf: (t) => t.code,
    copy: ({ ports }, list) => inOrder(list, (t) => ports.certificates.types.insert(t).then(inserted(`certificate type ${t.code}`))),
    readBack: ({ ports }) => ports.certificates.types.list(),
  }),
  collection((d) => d.orders, {
    name: 'orders',
    table: 'orders',
    keyOf: (o) => o.id,
    copy: ({ ports }, list) => inOrder(list, (o) => ports.certificates.orders.insert(o)),
    readBack: ({ ports }, list) =>
      manyByKeys(
        list.map((o) => o.id),
        (ids) => ports.certificates.orders.getMany(ids),
      ),
  }),
  collection<IssuedCertificate>((d) => d.certificates, {
    name: 'certificates',
    table: 'certificates',
    keyOf: (c) => c.id,
    // One batch per order, in the order's line order: PostgreSQL derives Order.certificateIds from it.
    async copy({ ports }, list, data) {
      const lines = new Map(data.orders.map((o) => [o.id, o.certificateIds]));
      const line = (c: IssuedCertificate) => lines.get(c.orderId)?.indexOf(c.id) ?? -1;
      const byOrder = new Map<string, IssuedCertificate[]>();
      for (const c of list) byOrder.set(c.orderId, [...(byOrder.get(c.orderId) ?? []), c]);
      for (const batch of byOrder.values()) {
        await ports.certificates.certificates.insertMany(batch.sort((a, b) => line(a) - line(b)));
      }
    },
    readBack: ({ ports }, list) =>
      manyByKeys(
        list.map((c) => c.id),
        (ids) => ports.certificates.certificates.getMany(ids),
      ),
  }),
  collection((d) => d.reservations, {
    name: 'reservations',
    table: 'reservations',
    keyOf: (r) => r.id,
    // Oldest first, each at its own creation time: a number is given again only after the earlier reservation let it go.
    copy: ({ ports }, list) =>
      inOrder(
        [...list].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0)),
        (r) => ports.certificates.reservations.insert(r, r.createdAt).then(inserted(`reservation ${r.id} (number ${r.number})`)),
      ),
    readBack: ({ ports }, list) =>
      manyByKeys(
        list.map((r) => r.id),
        (ids) => ports.certificates.reservations.getMany(ids),
      ),
  }),
  collection((d) => d.campusJobs, {
    name: 'campus print jobs',
    table: 'campus_jobs',
    keyOf: (j) => j.id,
    copy: ({ ports }, list) => inOrder(list, (j) => ports.certificates.campusJobs.insert(j)),
    readBack: ({ ports }, list) =>
      manyByKeys(
        list.map((j) => j.id),
        (ids) => ports.certificates.campusJobs.getMany(ids),
      ),
  }),
  collection((d) => d.mailOrders, {
    name: 'mail orders',
    table: 'mail_orders',
    keyOf: (m) => m.id,
    copy: ({ ports }, list) => inOrder(list, (m) => ports.certificates.mailOrders.insert(m)),
    readBack: ({ ports }, list) =>
      manyByKeys(
        list.map((m) => m.id),
        (ids) => ports.certificates.mailOrders.getMany(ids),
      ),
  }),
  collection((d) => d.shareLinks, {
    name: 'share links',
    table: 'share_links',
    keyOf: (l) => l.id,
    // Every link as it was: the limit of active links was checked when each was made.
    copy: ({ ports }, list) => inOrder(list, (l) => ports.shareLinks.insert(l, l.createdAt, Number.MAX_SAFE_INTEGER).then(inserted(`share link ${l.id}`))),
    readBack: ({ ports }, list) =>
      byKeys(
        list.map((l) => l.id),
        (id) => ports.shareLinks.get(id),
      ),
  }),
  collection((d) => d.shareLinkAccesses, {
    name: 'share link accesses',
    table: 'share_link_accesses',
    keyOf: (a) => a.id,
    copy: ({ ports }, list) => inOrder(list, (a) => ports.shareLinks.addAccess(a)),
    async readBack({ ports }, list) {
      const out = [];
      for (const linkId of new Set(list.map((a) => a.linkId))) out.push(...(await ports.shareLinks.accesses(linkId)));
      return out;
    },
  }),
  collection((d) => d.credentialStatus, {
    name: 'credential status indexes',
    table: 'credential_status',
    keyOf: (e) => e.certificateId,
    // Each certificate keeps its index (it is in every credential already downloaded).
    async copy({ db }, list) {
      for (const e of list) {
        await db.query('INSERT INTO credential_status (certificate_id, status_index) VALUES ($1, $2)', [e.certificateId, e.index]);
      }
    },
    async readBack({ db }) {
      const { rows } = await db.query<{ certificate_id: string; status_index: number }>('SELECT certificate_id, status_index FROM credential_status');
      return rows.map((r) => ({ certificateId: r.certificate_id, index: r.status_index }));
    },
  }),
  collection((d) => d.pdfDeliveries, {
    name: 'PDF deliveries',
    table: 'pdf_deliveries',
    keyOf: (p) => p.id,
    copy: ({ ports }, list) => inOrder(list, (p) => ports.certificates.pdfDeliveries.insert(p)),
    readBack: ({ ports }, list) =>
      manyByKeys(
        list.map((p) => p.id),
        (ids) => ports.certificates.pdfDeliveries.getMany(ids),
      ),
  }),
  collection((d) => d.staffUsers, {
    name: 'staff users',
    table: 'staff_users',
    keyOf: (u) => u.id,
    copy: ({ ports }, list) => inOrder(list, (u) => ports.staff.insert(u).then(inserted(`staff user ${u.username}`))),
    readBack: ({ ports }) => ports.staff.list(),
  }),
  collection((d) => d.staffSessions, {
    name: 'staff sessions',
    table: 'staff_sessions',
    keyOf: (s) => s.idHash,
    copy: ({ ports }, list) => inOrder(list, (s) => ports.staffSessions.put(s)),
    readBack: ({ ports }, list) =>
      byKeys(
        list.map((s) => s.idHash),
        (k) => ports.staffSessions.get(k),
      ),
  }),
  collection((d) => d.institutionProfile, {
    name: 'institution profile',
    table: 'institution_profile',
    keyOf: () => 'profile',
    copy: ({ ports }, list) => inOrder(list, (p) => ports.institution.putProfile(p)),
    readBack: async ({ ports }) => {
      const profile = await ports.institution.profile();
      return profile ? [profile] : [];
    },
  }),
  collection<InstitutionImage>((d) => d.institutionImages, {
    name: 'institution seal and logo',
    table: 'institution_images',
    keyOf: (i) => i.kind,
    copy: ({ ports }, list) => inOrder(list, (i) => ports.institution.putImage(i)),
    readBack: async ({ ports }) =>
      (await Promise.all(INSTITUTION_IMAGE_KINDS.map((k) => ports.institution.image(k)))).filter((i): i is InstitutionImage => i !== null),
  }),
  collection((d) => d.terminals, {
    name: 'terminals',
    table: 'terminals',
    keyOf: (t) => t.id,
    copy: ({ ports }, list) => inOrder(list, (t) => ports.terminals.insert(t).then(inserted(`terminal ${t.name}`))),
    readBack: ({ ports }) => ports.terminals.list(),
  }),
  collection((d) => d.audit, {
    name: 'audit log',
    table: 'audit_log',
    keyOf: (e) => e.id,
    // Oldest first, so that PostgreSQL's `seq` keeps the append order.
    copy: ({ ports, auditIds }, list) =>
      inOrder(list, ({ id, ...entry }) => {
        auditIds.push(id);
        return ports.audit.append(entry);
      }),
    // The port lists by time, a page at a time (quadratic over a long log): read the rows in append
    // order, as the adapter maps them.
    async readBack({ db }) {
      const out: AuditEntry[] = [];
      for (let after = 0; ;) {
        const { rows } = await db.query<AuditRow & { seq: string }>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 5000', [after]);
        if (rows.length === 0) return out;
        out.push(...rows.map(toEntry));
        after = Number(rows.at(-1)!.seq);
      }
    },
    ordered: true,
  }),
];
