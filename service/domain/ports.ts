import type { Account, MailMessage, OneTimeToken, SamlIdentity, Session, TokenPurpose } from './model.js';
import type { TransactionStores } from './stores.js';

/**
 * Persistence, spoken in operations rather than "load the database": each method is one
 * transaction in a SQL adapter and one atomic, durable write in the lowdb adapter. A method
 * resolves only once its change is durable (acknowledged data survives `kill -9`).
 */
export interface Store {
  accounts: {
    get(id: string): Promise<Account | null>;
    findByIdentity(idpEntityId: string, userId: string): Promise<Account | null>;
    /** Inserts, failing with `false` when (idpEntityId, userId) exists already. */
    insert(account: Account): Promise<boolean>;
    /** Applies `patch` and returns the new record, or null when the account does not exist. */
    update(id: string, patch: Partial<Omit<Account, 'id'>>): Promise<Account | null>;
    /** Accounts whose `studentIds` include `studentId`. */
    findByStudentId(studentId: string): Promise<Account[]>;
    /**
     * Adds `studentId` to the account's `studentIds` only if no other account holds it (atomic);
     * `added: false` when the account had it already.
     */
    addStudentId(
      id: string,
      studentId: string,
    ): Promise<{ ok: true; account: Account; added: boolean } | { ok: false; reason: 'notFound' | 'taken'; holderId?: string }>;
  };
  sessions: {
    get(idHash: string): Promise<Session | null>;
    put(session: Session): Promise<void>;
    delete(idHash: string): Promise<void>;
    deleteForAccount(accountId: string): Promise<number>;
    /** Deletes sessions whose `saml` matches (sessionIndex null: any index); returns how many. */
    deleteForSaml(ref: { idpEntityId: string; nameId: string; sessionIndex: string | null }): Promise<number>;
  };
  tokens: {
    insert(token: OneTimeToken): Promise<void>;
    get(hash: string): Promise<OneTimeToken | null>;
    /**
     * Marks the token used only if it exists, has `purpose`, is unused and unexpired at
     * `now`; returns the token as it was before, or the reason it could not be used.
     */
    consume(
      hash: string,
      purpose: TokenPurpose | TokenPurpose[],
      now: string,
    ): Promise<{ ok: true; token: OneTimeToken } | { ok: false; reason: 'unknown' | 'expired' | 'used' }>;
    /** Tokens of this purpose created for the account at or after `since` (for rate limits). */
    countSince(accountId: string, purpose: TokenPurpose, since: string): Promise<number>;
    latest(accountId: string, purpose: TokenPurpose): Promise<OneTimeToken | null>;
  };
  saml: {
    /**
     * Records an assertion ID (or an answered request, `InResponseTo <id>`) until `expiresAt`;
     * false when it was seen already (replay).
     */
    rememberAssertion(assertionId: string, expiresAt: string): Promise<boolean>;
    /** Whether rememberAssertion has recorded `assertionId` (a read: nothing is written). */
    hasSeenAssertion(assertionId: string): Promise<boolean>;
  };
  /**
   * Drops expired sessions, tokens and replay-cache entries: sessions past their absolute end, and
   * with `sessionsLastSeenBy` also those not seen since then (idle past the longest idle timeout:
   * dead, though their absolute end is hours away — a busy day would otherwise keep them all).
   */
  prune(now: string, sessionsLastSeenBy?: string): Promise<void>;
  close(): Promise<void>;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * The mailer the services see (domain/mail/outbox-worker.ts): `within(tx)` enqueues in the mail
 * outbox inside a transaction, so the mail exists if and only if the change it announces commits.
 * There is no way to send outside one: a mail enqueued after its commit could be lost by a crash.
 */
export interface TransactionalMailer {
  within(tx: Pick<TransactionStores, 'mailOutbox'>): Mailer;
  /** Wakes the sender: call it once the transaction that enqueued through `within` has committed. */
  wake(): void;
}

/**
 * Where the domain reports what an operator should see: the shape pino's logger already has, so
 * the composition root hands that in, and tests a recording logger or pino's silent one.
 */
export interface Logger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface Clock {
  now(): Date;
}

export interface Random {
  /** `bytes` cryptographically random bytes, base64url encoded. */
  token(bytes: number): string;
  /** A random unique identifier for records. */
  id(): string;
}

/** The SAML identity provider as seen by the domain. */
export interface IdentityProvider {
  /** Entity ID of the configured IdP. */
  readonly entityId: string;
  /** Builds a signed AuthnRequest with the ID `requestId` and the URL that carries it to the IdP. */
  createLoginRequest(options: { requestId: string; forceAuthn: boolean; relayState: string }): Promise<{ url: string }>;
  /**
   * Verifies a POSTed SAMLResponse completely (signature, issuer, status, conditions,
   * audience, destination, recipient, exactly one assertion, no DOCTYPE, clock skew) and
   * returns what it asserts plus what the caller must still bind (InResponseTo, replay).
   */
  verifyLoginResponse(samlResponse: string): Promise<VerifiedAssertion>;
  /** SP metadata XML. */
  metadata(): string;
}

export interface VerifiedAssertion {
  identity: SamlIdentity;
  assertionId: string;
  inResponseTo: string;
  /** Latest instant the assertion may be replayed (for the replay cache). */
  notOnOrAfter: string;
}
