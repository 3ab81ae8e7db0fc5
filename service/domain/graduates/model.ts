import type { Application, ApplicationForm } from '../applications/model.js';
import type { Language } from '../model.js';
import type { TransactionStores } from '../stores.js';

/** Graduates' accounts are keyed by (this pseudo IdP, normalised mail address): they have no campus IdP. */
export const GRADUATE_IDP = 'urn:shomei:graduate';

/** Rate-limit subject of the tokens mailed to an address before (or without) an account: `graduate:<mail>`. */
export const tokenSubject = (normalisedMail: string): string => `graduate:${normalisedMail}`;

/** A graduate's two secrets, as scrypt hashes (service/domain/passwords.ts); never the secrets themselves. */
export interface GraduateCredentials {
  accountId: string;
  passwordHash: string;
  secondPasswordHash: string;
  createdAt: string;
  passwordChangedAt: string;
  secondPasswordChangedAt: string;
}

export interface GraduateCredentialStore {
  get(accountId: string): Promise<GraduateCredentials | null>;
  /** Inserts; false when the account has credentials already. */
  insert(credentials: GraduateCredentials): Promise<boolean>;
  /** Applies `patch`; null when the account has no credentials. */
  update(accountId: string, patch: Partial<Omit<GraduateCredentials, 'accountId'>>): Promise<GraduateCredentials | null>;
}

/** What graduate access needs of the applications feature (ApplicationService implements it). */
export interface GraduateApplicationsPort {
  /** Writes the application and its audit entry through `tx` (the registration's transaction). */
  submit(
    input: { kind: 'graduate'; accountId: string; form: ApplicationForm; mail: string; language: Language },
    tx: Pick<TransactionStores, 'applications' | 'audit'>,
  ): Promise<Application>;
  listForAccount(accountId: string): Promise<Application[]>;
}
