import path from 'node:path';
import type { IssuedCertificate } from '../../domain/certificates/model.js';
import type { CertificateStore } from '../../domain/certificates/store.js';
import { Collection } from './collection.js';

export const CREDENTIAL_STATUS_FILE = 'credential-status.json';

/** A certificate's place in the status lists. */
export interface CredentialStatusEntry {
  certificateId: string;
  index: number;
}

export const openCredentialStatusCollection = (dir: string): Promise<Collection<CredentialStatusEntry>> =>
  Collection.open<CredentialStatusEntry>(path.join(dir, CREDENTIAL_STATUS_FILE), (e) => e.certificateId);

/**
 * The status list indexes over lowdb: a free candidate is found and stored in one synchronous
 * section (atomic in the family's one process); entries are never deleted, so an index is never
 * given twice.
 */
export function lowdbCredentialStatus(
  entries: Collection<CredentialStatusEntry>,
  certificates: Collection<IssuedCertificate>,
  live: () => void,
): CertificateStore['credentialStatus'] {
  return {
    async indexOf(certificateId, candidates) {
      live();
      const existing = entries.records.get(certificateId);
      if (existing) return existing.index;
      if (!certificates.records.has(certificateId)) throw new Error(`certificate ${certificateId} does not exist`);
      const given = new Set(Array.from(entries.records.values(), (e) => e.index));
      const index = candidates.find((c) => !given.has(c));
      if (index === undefined) throw new Error(`no free status index for ${certificateId} among ${candidates.length} candidates`);
      entries.records.set(certificateId, { certificateId, index });
      await entries.commit();
      return index;
    },
    async given() {
      live();
      return entries.records.size;
    },
    async revokedIndexes() {
      live();
      return [...entries.records.values()].filter((e) => certificates.records.get(e.certificateId)?.status === 'revoked').map((e) => e.index);
    },
  };
}
