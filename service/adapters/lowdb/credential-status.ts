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
 * The status list indexes over lowdb: entries are never deleted, so the next index is their count,
 * taken and stored in one synchronous section (atomic in the family's one process).
 */
export function lowdbCredentialStatus(
  entries: Collection<CredentialStatusEntry>,
  certificates: Collection<IssuedCertificate>,
  live: () => void,
): CertificateStore['credentialStatus'] {
  return {
    async indexOf(certificateId) {
      live();
      const existing = entries.records.get(certificateId);
      if (existing) return existing.index;
      if (!certificates.records.has(certificateId)) throw new Error(`certificate ${certificateId} does not exist`);
      const index = entries.records.size;
      entries.records.set(certificateId, { certificateId, index });
      await entries.commit();
      return index;
    },
    async revokedIndexes() {
      live();
      return [...entries.records.values()].filter((e) => certificates.records.get(e.certificateId)?.status === 'revoked').map((e) => e.index);
    },
  };
}
