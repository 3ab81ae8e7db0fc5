/**
 * 学内印刷: a student signed in at a campus kiosk prints their own campus job once.
 * The kiosk claims the job (a lease, like store printing in reservation-printing.ts), fetches each signed PDF
 * while the claim is current, prints, then reports complete or fail (a failed print leaves the
 * job printable). Only kiosk sessions may print, and only the account's own jobs. Each step
 * that changes the job is one transaction with its audit entry. Storage and the PDF archive are
 * injected (no adapter imports here).
 */
import type { AuditEntry } from '../audit.js';
import { DomainError, type ErrorCode } from '../errors.js';
import type { Account } from '../model.js';
import { type CampusJob, type IssuedCertificate } from './model.js';
import { claimCampusJob, completeCampusJob, failCampusJob, type PrintRefusal } from './state-machines.js';
import { certificatesOfOrder } from './order-details.js';
import { transitionCampusJob } from './transitions.js';
import { PRINT_LEASE_SECONDS, type PrintingDeps } from './orders.js';

export type CampusPrintingDeps = PrintingDeps;

/** Who asks: the signed-in account, whether the session is a campus kiosk, and the kiosk's name for the attempt log. */
export interface KioskCaller {
  account: Account;
  kiosk: boolean;
  /** e.g. `kiosk:LIB-1F-01`; recorded in the print attempts. */
  by: string;
}

export interface CampusDocument {
  certificateNumber: string;
  typeCode: string;
  language: IssuedCertificate['language'];
  copies: number;
}

export interface CampusClaim {
  job: CampusJob;
  claimId: string;
  documents: CampusDocument[];
}

export interface CampusPrintingService {
  /** waiting → printing; `campus.kioskOnly`, `campus.notFound`, `campus.alreadyPrinted`, `campus.busy`, `campus.cancelled`. */
  claim(caller: KioskCaller, jobId: string, now: Date): Promise<CampusClaim>;
  /** The signed PDF of one of the job's certificates, only while `claimId` is the current, unexpired claim (`campus.claimLost`). */
  document(caller: KioskCaller, jobId: string, claimId: string, certificateNumber: string, now: Date): Promise<Uint8Array>;
  /** printing → printed for that claim; `campus.claimLost` when it is no longer current. */
  complete(caller: KioskCaller, jobId: string, claimId: string, now: Date): Promise<CampusJob>;
  /** printing → waiting (printable again); `detail` goes to the attempt log and the audit only. */
  fail(caller: KioskCaller, jobId: string, claimId: string, detail: string, now: Date): Promise<CampusJob>;
}

const REFUSALS: Record<PrintRefusal, ErrorCode> = {
  printed: 'campus.alreadyPrinted',
  cancelled: 'campus.cancelled',
  busy: 'campus.busy',
  // Campus jobs never expire; treat it as gone.
  expired: 'campus.notFound',
};

export function createCampusPrinting(deps: CampusPrintingDeps): CampusPrintingService {
  const { store, random } = deps;
  const leaseSeconds = deps.printLeaseSeconds ?? PRINT_LEASE_SECONDS;

  const actorOf = (account: Account): AuditEntry['actor'] => ({
    type: account.kind === 'graduate' ? 'graduate' : 'student',
    id: account.id,
    name: account.displayName ?? account.nameKanji ?? account.id,
  });

  /** The caller's job; kiosk sessions only; someone else's job is "not found" (no hint it exists). */
  async function ownJob(caller: KioskCaller, jobId: string): Promise<CampusJob> {
    if (!caller.kiosk) throw new DomainError('campus.kioskOnly', {}, `account ${caller.account.id} outside a kiosk`);
    const job = await store.campusJobs.get(jobId);
    if (!job || job.accountId !== caller.account.id) throw new DomainError('campus.notFound', {}, `job ${jobId} for ${caller.account.id}`);
    return job;
  }

  async function certificatesOf(job: CampusJob): Promise<IssuedCertificate[]> {
    const order = await store.orders.get(job.orderId);
    if (!order) throw new Error(`order ${job.orderId} of campus job ${job.id} is missing`);
    return certificatesOfOrder(store, order);
  }

  const claimLost = (jobId: string, claimId: string) => new DomainError('campus.claimLost', {}, `claim ${claimId} of ${jobId} not current`);

  return {
    async claim(caller, jobId, now) {
      const found = await ownJob(caller, jobId);
      const at = now.toISOString();
      const claim = { claimId: random.id(), by: caller.by, at, leaseUntil: new Date(now.getTime() + leaseSeconds * 1000).toISOString() };
      const updated = await deps.transaction(async (tx) => {
        let refusal: PrintRefusal | null = null;
        const next = await transitionCampusJob(tx.certificates, found.id, (current) => {
          const claimed = claimCampusJob(current, claim);
          if ('refused' in claimed) {
            refusal = claimed.refused;
            return null;
          }
          return claimed;
        });
        if (!next) throw new DomainError(REFUSALS[refusal ?? 'busy'], {}, `campus job ${found.id}: ${refusal ?? 'busy'}`);
        await tx.audit.append({
          at,
          actor: actorOf(caller.account),
          action: 'certificate.campusJob.printStarted',
          target: { type: 'campusJob', id: found.id },
          before: { status: found.status, claimId: found.claim?.claimId ?? null },
          after: { status: next.status, claimId: claim.claimId, by: claim.by, leaseUntil: claim.leaseUntil },
          note: null,
        });
        return next;
      });
      const documents = (await certificatesOf(updated)).map(({ number, typeCode, language, copies }) => ({
        certificateNumber: number,
        typeCode,
        language,
        copies,
      }));
      return { job: updated, claimId: claim.claimId, documents };
    },

    async document(caller, jobId, claimId, certificateNumber, now) {
      const job = await ownJob(caller, jobId);
      if (job.status !== 'printing' || job.claim?.claimId !== claimId || now.toISOString() >= job.claim.leaseUntil) throw claimLost(jobId, claimId);
      const certificate = (await certificatesOf(job)).find((c) => c.number === certificateNumber);
      if (!certificate) throw new DomainError('campus.notFound', {}, `${certificateNumber} is not in job ${jobId}`);
      const pdf = await deps.pdfs.read(certificate.number);
      if (!pdf) throw new Error(`PDF of ${certificate.number} is missing`);
      return pdf;
    },

    async complete(caller, jobId, claimId, now) {
      await ownJob(caller, jobId);
      const at = now.toISOString();
      return deps.transaction(async (tx) => {
        const updated = await transitionCampusJob(tx.certificates, jobId, (current) => completeCampusJob(current, claimId, at));
        if (!updated) throw claimLost(jobId, claimId);
        await tx.audit.append({
          at,
          actor: actorOf(caller.account),
          action: 'certificate.campusJob.printed',
          target: { type: 'campusJob', id: jobId },
          before: { status: 'printing', claimId },
          after: { status: updated.status, printedAt: updated.printedAt, by: caller.by },
          note: null,
        });
        return updated;
      });
    },

    async fail(caller, jobId, claimId, detail, now) {
      await ownJob(caller, jobId);
      const at = now.toISOString();
      return deps.transaction(async (tx) => {
        const updated = await transitionCampusJob(tx.certificates, jobId, (current) => failCampusJob(current, claimId, at, detail));
        if (!updated) throw claimLost(jobId, claimId);
        await tx.audit.append({
          at,
          actor: actorOf(caller.account),
          action: 'certificate.campusJob.printFailed',
          target: { type: 'campusJob', id: jobId },
          before: { status: 'printing', claimId },
          after: { status: updated.status, by: caller.by },
          note: detail,
        });
        return updated;
      });
    },
  };
}
