import { hashSecret } from './crypto.js';
import { DomainError } from './errors.js';
import { mailChangedNotice, verificationMail } from './i18n/mails.js';
import type { Account, OneTimeToken, TokenPurpose } from './model.js';
import { OneTimeTokens } from './one-time-tokens.js';
import type { Clock, Random, Store, TransactionalMailer } from './ports.js';
import type { UnitOfWork } from './stores.js';

export interface MailVerificationPolicy {
  /** Lifetime of a mailed one-time URL. */
  tokenMinutes: number;
  /** Minimum time between two confirmation mails of one account and purpose. */
  resendIntervalSeconds: number;
  /** At most this many confirmation mails per account and purpose per hour. */
  maxPerHour: number;
}

export const DEFAULT_MAIL_POLICY: MailVerificationPolicy = { tokenMinutes: 30, resendIntervalSeconds: 60, maxPerHour: 5 };

/**
 * "A mail address is verified once, by a live token": the first-login registration
 * (manual §2.1) and the change of address (§2.4). Each mail is enqueued in the transaction of
 * the change it announces (the token it carries, the address it replaced).
 */
export interface MailService {
  /** Sends the first-login confirmation mail. Allowed again (rate-limited) to resend. */
  requestRegistration(account: Account, mail: string, mailConfirm: string): Promise<{ sentTo: string; expiresAt: string }>;
  requestChange(account: Account, mail: string, mailConfirm: string): Promise<{ sentTo: string; expiresAt: string }>;
  /** Consumes a mailed token (single use, unexpired) and sets the address it verifies. */
  confirm(token: string): Promise<{ purpose: 'register' | 'change'; mail: string; account: Account }>;
  /** The newest registration or change still waiting for its link, if any. */
  pending(account: Account): Promise<{ mail: string; expiresAt: string } | null>;
}

export interface MailServiceDeps {
  store: Store;
  transaction: UnitOfWork['transaction'];
  mailer: TransactionalMailer;
  clock: Clock;
  random: Random;
  /** Builds the mailed URL from the token; the token travels in the fragment, never to our logs. */
  confirmUrl: (token: string) => string;
  policy?: MailVerificationPolicy;
}

export function createMailService(deps: MailServiceDeps): MailService {
  const { store, transaction, mailer, clock, random, confirmUrl } = deps;
  /** The one-time URL machinery (shared with the other mailed links). */
  const tokens = new OneTimeTokens(store, clock, random, deps.policy ?? DEFAULT_MAIL_POLICY);

  /** For graduate accounts: the new sign-in identifier, refused when another account signs in with it. */
  async function refuseTakenSignInAddress(store: Store, account: Account, mail: string): Promise<string | null> {
    if (account.kind !== 'graduate') return null;
    const userId = mail.trim().toLowerCase();
    const holder = await store.accounts.findByIdentity(account.idpEntityId, userId);
    if (holder && holder.id !== account.id) throw new DomainError('mail.alreadyRegistered');
    return userId;
  }

  function checkPair(mail: string, mailConfirm: string): string {
    const address = mail.trim();
    if (address !== mailConfirm.trim()) {
      throw new DomainError('validation.failed', {}, 'mail and confirmation differ', { mailConfirm: 'mail.mismatch' });
    }
    return address;
  }

  async function issue(account: Account, purpose: TokenPurpose, mail: string): Promise<{ sentTo: string; expiresAt: string }> {
    // The token and the mail carrying it commit together: no mail without a usable link, no link never mailed.
    const expiresAt = await transaction(async (tx) => {
      const { token, expiresAt } = await tokens.within(tx.store).issue(account.id, purpose, mail);
      await mailer.within(tx).send(
        verificationMail({
          to: mail,
          language: account.language,
          purpose: purpose === 'mail.register' ? 'register' : 'change',
          url: confirmUrl(token),
          expiresAt,
          validMinutes: tokens.policy.tokenMinutes,
        }),
      );
      return expiresAt;
    });
    mailer.wake();
    return { sentTo: mail, expiresAt: expiresAt.toISOString() };
  }

  return {
    async requestRegistration(account, mail, mailConfirm) {
      const address = checkPair(mail, mailConfirm);
      return issue(account, 'mail.register', address);
    },

    async requestChange(account, mail, mailConfirm) {
      if (account.mail === null) throw new DomainError('auth.mailRequired');
      const address = checkPair(mail, mailConfirm);
      if (address.toLowerCase() === account.mail.toLowerCase()) {
        throw new DomainError('mail.sameAsCurrent', {}, undefined);
      }
      await refuseTakenSignInAddress(store, account, address);
      return issue(account, 'mail.change', address);
    },

    async confirm(token) {
      const now = clock.now();
      const hash = hashSecret(token);
      const confirmed = await transaction(async (tx) => {
        const result = await tx.store.tokens.consume(hash, ['mail.register', 'mail.change'], now.toISOString());
        if (!result.ok) {
          // The purpose tells the UI where a new mail can be asked for (registration or change).
          const known = await tx.store.tokens.get(hash);
          const params: Record<string, string> = known ? { purpose: known.purpose === 'mail.register' ? 'register' : 'change' } : {};
          throw new DomainError(`token.${result.reason}`, params);
        }
        const { token: used } = result;
        const before = await tx.store.accounts.get(used.accountId);
        if (!before) throw new DomainError('account.notFound');
        // A graduate signs in with the mail address: it is also the account's user identifier.
        const signInAddress = before.kind === 'graduate' ? await refuseTakenSignInAddress(tx.store, before, used.mail) : null;
        const account = await tx.store.accounts.update(used.accountId, {
          mail: used.mail,
          ...(signInAddress ? { userId: signInAddress } : {}),
        });
        if (!account) throw new DomainError('account.notFound');
        // Whatever the purpose, a replaced address is told of the change.
        if (before.mail && before.mail !== used.mail) {
          await mailer.within(tx).send(mailChangedNotice({ to: before.mail, language: account.language, newMail: used.mail, at: now }));
        }
        return { purpose: used.purpose === 'mail.register' ? ('register' as const) : ('change' as const), mail: used.mail, account };
      });
      mailer.wake();
      return confirmed;
    },

    async pending(account) {
      const now = clock.now();
      const candidates = await Promise.all((['mail.register', 'mail.change'] as const).map((p) => store.tokens.latest(account.id, p)));
      const live = candidates
        .filter((t): t is OneTimeToken => t !== null && t.usedAt === null && new Date(t.expiresAt) > now)
        .filter((t) => t.mail !== account.mail)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
      return live ? { mail: live.mail, expiresAt: live.expiresAt } : null;
    },
  };
}
