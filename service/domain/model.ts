/** Records kept by the Store. Dates are ISO-8601 strings so that every adapter stores them alike. */

export type Language = 'ja' | 'en';
export const LANGUAGES: readonly Language[] = ['ja', 'en'];

export interface Account {
  id: string;
  /** The IdP's entity ID: accounts are keyed by (idpEntityId, userId). */
  idpEntityId: string;
  userId: string;
  /** Verified mail address; null until the first-login registration completes. */
  mail: string | null;
  /** Mail address offered by the IdP (prefills the registration form); never trusted as verified. */
  idpMail: string | null;
  displayName: string | null;
  nameKanji: string | null;
  nameKana: string | null;
  nameRoman: string | null;
  /** Student IDs the account may issue certificates for. */
  studentIds: string[];
  affiliation: string | null;
  language: Language;
  createdAt: string;
  /** This login (set at each login) and the one before it (shown as 前回ログイン日時). */
  lastLoginAt: string | null;
  previousLoginAt: string | null;
  /** 'graduate': signs in with mail address + password + second password. Absent: campus (SAML). */
  kind?: 'campus' | 'graduate';
  /** False while a graduate's 利用申請 awaits approval. Absent: active. */
  active?: boolean;
}

export interface Session {
  /** sha256 of the cookie value: the cookie itself is never stored. */
  idHash: string;
  accountId: string | null;
  csrfToken: string;
  kiosk: boolean;
  createdAt: string;
  lastSeenAt: string;
  /** Absolute end of the session, whatever the activity. */
  expiresAt: string;
  /** The IdP session this login came from, for single logout. */
  saml: SamlSessionRef | null;
}

export interface SamlSessionRef {
  idpEntityId: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
}

export type TokenPurpose =
  | 'mail.register'
  | 'mail.change'
  | 'application.studentId'
  /** Graduate access: the mailed link to the registration form, and to a new password. Their `accountId` is `graduate:<mail>` (see domain/graduates). */
  | 'graduate.register'
  | 'graduate.reset';

export interface OneTimeToken {
  /** sha256 of the token: the token itself only ever exists in the mail. */
  hash: string;
  purpose: TokenPurpose;
  accountId: string;
  /** The address being verified. */
  mail: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

/**
 * An AuthnRequest a browser sent and whose response it still expects. Kept by that browser (a
 * cookie), never by the server: the request's ID commits to all three fields (requestIdOf).
 */
export interface PendingAuthnRequest {
  /** 256 random bits only this browser knows. */
  secret: string;
  relayState: string;
  createdAt: string;
}

/** What we take from a verified assertion. */
export interface SamlIdentity {
  idpEntityId: string;
  userId: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  mail: string | null;
  displayName: string | null;
  nameKanji: string | null;
  nameKana: string | null;
  nameRoman: string | null;
  studentId: string | null;
  affiliation: string | null;
}

export interface MailMessage {
  to: string;
  /** The language the mail is written in (the institution's signature follows it). */
  language: Language;
  subject: string;
  text: string;
  html: string;
  /** The same on every attempt to send this mail (given by the outbox), so a resent duplicate is recognisable. */
  messageId?: string;
}

export interface StoredMail extends Omit<MailMessage, 'language'> {
  id: string;
  from: string;
  sentAt: string;
}
