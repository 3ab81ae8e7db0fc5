/**
 * Graduate access (利用申請 for graduates without a campus account): what the service offers
 * (GraduateAccess), what it needs (GraduateAccessDeps) and its throttling policies. The
 * implementation is access.ts.
 */
import type { Application } from '../applications/model.js';
import type { AuditLog } from '../audit.js';
import type { Account, Language } from '../model.js';
import type { OneTimeTokens } from '../one-time-tokens.js';
import type { Clock, Random, Store, TransactionalMailer } from '../ports.js';
import type { RateLimitStore } from '../rate-limits.js';
import type { CatalogueUniversity } from '../registry/model.js';
import type { TransactionStores, UnitOfWork } from '../stores.js';
import type { LoginThrottleStore, ThrottlePolicy } from '../staff/throttle.js';
import type { GraduateApplicationsPort, GraduateCredentialStore } from './model.js';
import type { SecretsInput } from '../../shared/graduate-secrets.js';

/**
 * Per mail address (whether or not an account uses it, so that answers never tell): a few free
 * failures, then 2, 4, 8 … seconds between attempts, and after 10 failures in a row a pause of
 * 30 minutes, lifted early by a password reset.
 */
export const GRADUATE_MAIL_THROTTLE: ThrottlePolicy = {
  freeFailures: 3,
  baseDelaySeconds: 2,
  lockAfterFailures: 10,
  lockSeconds: 30 * 60,
  forgetAfterSeconds: 60 * 60,
};

/**
 * Per client address: slows down one source trying many addresses. Campus kiosks share an
 * address, so it allows more and pauses only briefly; the per-address pause does the locking.
 */
export const GRADUATE_IP_THROTTLE: ThrottlePolicy = {
  freeFailures: 20,
  baseDelaySeconds: 1,
  lockAfterFailures: 40,
  lockSeconds: 10 * 60,
  forgetAfterSeconds: 60 * 60,
};

export interface GraduateUrls {
  register(token: string): string;
  reset(token: string): string;
  apply: string;
  forgot: string;
  login: string;
}

export interface GraduateAccessDeps {
  store: Store;
  credentials: GraduateCredentialStore;
  tokens: OneTimeTokens;
  /** Where the anonymous visitors' mails per client are counted. */
  rateLimits: RateLimitStore;
  /** Where failed sign-ins per mail address and per client are counted. */
  loginThrottles: LoginThrottleStore;
  applications: GraduateApplicationsPort;
  audit: AuditLog;
  /** A registration's account, credentials, application and audit entries are written together or not at all. */
  transaction: UnitOfWork['transaction'];
  /** Every mail is enqueued in the transaction of what it announces (a link with its token). */
  mailer: TransactionalMailer;
  clock: Clock;
  random: Random;
  urls: GraduateUrls;
  throttles?: { mail?: ThrottlePolicy; ip?: ThrottlePolicy };
}

export interface RegistrationInput extends SecretsInput {
  token: string;
  /** The personal-data form as typed (ApplicationFormInput). */
  form: unknown;
  language: Language;
  /** For the check of university / faculty / department codes (null: presence only). */
  catalogue: CatalogueUniversity[] | null;
}

export interface ResetInput extends SecretsInput {
  token: string;
}

/**
 * Graduate access (利用申請 for graduates without a campus account, manual §2.3 steps 15–16):
 * registration by a mailed one-time URL, staff approval through the applications feature,
 * sign-in with mail address + password + second password, slow-down and lock, reset by mail.
 *
 * What no answer may tell: which of the two secrets was wrong (both are always verified, and
 * every failure is one `graduate.loginFailed`), or whether an address has an account (apply and
 * forgot answer alike and both mail; unknown addresses do the same hashing work and throttle alike).
 */
export interface GraduateAccess {
  // ---- Registration ----------------------------------------------------------------------
  /**
   * 利用申請(新規登録): mails the one-time URL to the registration form. An address that has an
   * account already gets a mail saying so instead; the answer is the same either way.
   */
  apply(mail: string, mailConfirm: string, language: Language, client: string): Promise<{ sentTo: string; expiresAt: string }>;
  /** Is the mailed registration link usable (without using it up)? */
  checkRegistration(token: string): Promise<{ mail: string; expiresAt: string }>;
  /**
   * 申請: checks everything first (a mistake leaves the link usable), then uses the link up and
   * creates the inactive account, its credentials and the pending application.
   */
  register(input: RegistrationInput): Promise<{ mail: string; application: Application }>;

  // ---- Sign-in ---------------------------------------------------------------------------
  /**
   * Sign-in with mail address + password + second password. Both secrets are verified every
   * time (an unknown address verifies against a dummy hash), and any failure is the one
   * `graduate.loginFailed`. Only when both are right may the answer say more: not approved yet.
   * An account whose application awaits resubmission may sign in, to edit and send it again.
   */
  login(input: { mail: string; password: string; secondPassword: string; client: string }): Promise<Account>;

  // ---- Password reset --------------------------------------------------------------------
  /** パスワードを忘れた方: mails a one-time URL (or, for an unknown address, how to apply); the answer is the same. */
  forgot(mail: string, language: Language, client: string): Promise<{ sentTo: string; expiresAt: string }>;
  /** Is the mailed reset link usable (without using it up)? */
  checkReset(token: string): Promise<{ mail: string; expiresAt: string }>;
  /**
   * Sets a new password (and, if given, a new second password), lifts the pause of logins,
   * ends the account's sessions and tells the address.
   */
  reset(input: ResetInput): Promise<{ mail: string }>;

  // ---- Approval --------------------------------------------------------------------------
  /**
   * Called when staff decide an application: an approved graduate application activates the
   * account and gives it the application's student ID (the applications feature mails the result).
   */
  onDecided(application: Application, tx: Pick<TransactionStores, 'store' | 'audit'>): Promise<void>;
}
