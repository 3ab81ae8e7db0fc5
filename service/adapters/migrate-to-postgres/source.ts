/**
 * Everything a DATA_DIR holds, read as the lowdb adapters give it to the domain: through their
 * ports where a port lists a whole collection, else from the collection file with the parser the
 * adapters use (Collection.open). Reads only; the service must not be running on the directory.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { CERTIFICATE_PDF_DIR, openCertificatePdfArchive } from '../files/certificate-pdfs.js';
import { AUDIT_LOG_FILE } from '../lowdb/audit-store.js';
import { CERTIFICATE_FILES } from '../lowdb/certificate-store.js';
import { Collection } from '../lowdb/collection.js';
import { GRADUATE_CREDENTIALS_FILE } from '../lowdb/graduate-store.js';
import { CREDENTIAL_STATUS_FILE, type CredentialStatusEntry } from '../lowdb/credential-status.js';
import { openLowdbStores } from '../lowdb/open.js';
import { SHARE_LINK_ACCESSES_FILE, SHARE_LINKS_FILE } from '../lowdb/share-link-store.js';
import { STAFF_SESSIONS_FILE } from '../lowdb/staff-store.js';
import { COLLECTION_FILES } from '../lowdb/store.js';
import type { AuditEntry } from '../../domain/audit.js';
import type { CampusJob, CertificateType, IssuedCertificate, MailOrder, Order, PdfDelivery, Reservation } from '../../domain/certificates/model.js';
import type { CertificatePdfArchive } from '../../domain/certificates/orders.js';
import type { Application } from '../../domain/applications/model.js';
import type { GraduateCredentials } from '../../domain/graduates/model.js';
import { INSTITUTION_IMAGE_KINDS, type InstitutionImage, type InstitutionProfile } from '../../domain/institution/model.js';
import type { Account, OneTimeToken, Session } from '../../domain/model.js';
import { systemRandom } from '../../domain/crypto.js';
import type { GradeRecord, StudentRecord } from '../../domain/registry/model.js';
import type { StaffSession, StaffUser } from '../../domain/staff/model.js';
import type { ShareLink, ShareLinkAccess } from '../../domain/share-links/model.js';
import type { Terminal } from '../../domain/terminals/model.js';
import { PAGE_MAX_LIMIT } from '../../domain/paging.js';

/** An entry of the SAML replay cache (an assertion ID or an answered request) and when it may go. */
export interface ReplayCacheEntry {
  id: string;
  expiresAt: string;
}

export interface LowdbData {
  accounts: Account[];
  sessions: Session[];
  tokens: OneTimeToken[];
  replayCache: ReplayCacheEntry[];
  certificateTypes: CertificateType[];
  orders: Order[];
  certificates: IssuedCertificate[];
  reservations: Reservation[];
  campusJobs: CampusJob[];
  mailOrders: MailOrder[];
  shareLinks: ShareLink[];
  shareLinkAccesses: ShareLinkAccess[];
  /** Each certificate's index in the credentials' status lists (kept: downloaded credentials name it). */
  credentialStatus: CredentialStatusEntry[];
  pdfDeliveries: PdfDelivery[];
  applications: Application[];
  students: StudentRecord[];
  grades: GradeRecord[];
  staffUsers: StaffUser[];
  staffSessions: StaffSession[];
  graduateCredentials: GraduateCredentials[];
  /** The profile, or none. */
  institutionProfile: InstitutionProfile[];
  institutionImages: InstitutionImage[];
  terminals: Terminal[];
  /** Oldest first, as appended (the order PostgreSQL's `seq` must keep). */
  audit: AuditEntry[];
  /** The signed PDFs (DATA_DIR/certificates), read one at a time: they need not fit in memory together. */
  pdfs: CertificatePdfArchive;
  /** Certificate numbers of the PDF files in DATA_DIR/certificates. */
  pdfFiles: string[];
}

/** All pages of a paged listing. */
async function allPages<T>(page: (window: { offset: number; limit: number }) => Promise<{ total: number; items: T[] }>): Promise<T[]> {
  const out: T[] = [];
  for (;;) {
    const { total, items } = await page({ offset: out.length, limit: PAGE_MAX_LIMIT });
    out.push(...items);
    if (items.length === 0 || out.length >= total) return out;
  }
}

/** A collection file's records as the adapter that owns it parses them (an absent file: none). */
async function fileRecords<R extends object>(dir: string, file: string, keyOf: (r: R) => string): Promise<R[]> {
  const collection = await Collection.open<R>(path.join(dir, file), keyOf);
  return [...collection.records.values()];
}

/** Reads every collection of `dataDir`, then closes the lowdb stores it opened (they write nothing). */
export async function readLowdbData(dataDir: string): Promise<LowdbData> {
  const dir = path.resolve(dataDir);
  const stores = await openLowdbStores(dir, { random: systemRandom, pruneIntervalMs: 0, expireIntervalMs: 0 });
  try {
    const students = await allPages((w) => stores.registry.searchStudents(w));
    const images = await Promise.all(INSTITUTION_IMAGE_KINDS.map((kind) => stores.institution.image(kind)));
    const profile = await stores.institution.profile();
    const certificatePdfFiles = await readdir(path.join(dir, CERTIFICATE_PDF_DIR)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    // The audit port lists newest first by time; the file keeps the append order (`seq`), which the copy must keep.
    const audit = (await fileRecords<AuditEntry & { seq: number }>(dir, AUDIT_LOG_FILE, (e) => e.id))
      .sort((a, b) => a.seq - b.seq)
      .map(({ seq: _seq, ...entry }) => entry);
    return {
      accounts: await fileRecords<Account>(dir, COLLECTION_FILES.accounts, (a) => a.id),
      sessions: await fileRecords<Session>(dir, COLLECTION_FILES.sessions, (s) => s.idHash),
      tokens: await fileRecords<OneTimeToken>(dir, COLLECTION_FILES.tokens, (t) => t.hash),
      replayCache: await fileRecords<ReplayCacheEntry>(dir, COLLECTION_FILES.samlAssertions, (a) => a.id),
      certificateTypes: await stores.certificates.types.list(),
      orders: await fileRecords<Order>(dir, CERTIFICATE_FILES.orders, (o) => o.id),
      certificates: await allPages((w) => stores.certificates.certificates.search(w)),
      reservations: await fileRecords<Reservation>(dir, CERTIFICATE_FILES.reservations, (r) => r.id),
      campusJobs: await fileRecords<CampusJob>(dir, CERTIFICATE_FILES.campusJobs, (j) => j.id),
      mailOrders: await allPages((w) => stores.certificates.mailOrders.list(w)),
      shareLinks: await fileRecords<ShareLink>(dir, SHARE_LINKS_FILE, (l) => l.id),
      shareLinkAccesses: await fileRecords<ShareLinkAccess>(dir, SHARE_LINK_ACCESSES_FILE, (a) => a.id),
      credentialStatus: await fileRecords<CredentialStatusEntry>(dir, CREDENTIAL_STATUS_FILE, (e) => e.certificateId),
      pdfDeliveries: await fileRecords<PdfDelivery>(dir, CERTIFICATE_FILES.pdfDeliveries, (d) => d.id),
      applications: await allPages((w) => stores.applications.list(w)),
      students,
      grades: await stores.registry.gradesOfStudents(students.map((s) => s.studentId)),
      staffUsers: await stores.staff.list(),
      staffSessions: await fileRecords<StaffSession>(dir, STAFF_SESSIONS_FILE, (s) => s.idHash),
      graduateCredentials: await fileRecords<GraduateCredentials>(dir, GRADUATE_CREDENTIALS_FILE, (c) => c.accountId),
      institutionProfile: profile ? [profile] : [],
      institutionImages: images.filter((i): i is InstitutionImage => i !== null),
      terminals: await stores.terminals.list(),
      audit,
      pdfs: openCertificatePdfArchive(dir),
      pdfFiles: certificatePdfFiles.filter((f) => f.endsWith('.pdf')).map((f) => f.slice(0, -'.pdf'.length)),
    };
  } finally {
    await stores.close();
  }
}
