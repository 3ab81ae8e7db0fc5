import { addSeconds, hashSecret } from './crypto.js';
import { DomainError } from './errors.js';
import type { OneTimeToken, TokenPurpose } from './model.js';
import type { Clock, Random, Store } from './ports.js';

export interface OneTimeTokenPolicy {
  /** Lifetime of a mailed one-time URL. */
  tokenMinutes: number;
  /** Minimum time between two mails of one account and purpose. */
  resendIntervalSeconds: number;
  /** At most this many mails per account and purpose per hour. */
  maxPerHour: number;
}

export const DEFAULT_TOKEN_POLICY: OneTimeTokenPolicy = { tokenMinutes: 30, resendIntervalSeconds: 60, maxPerHour: 5 };

/** 256-bit one-time tokens. */
const TOKEN_BYTES = 32;

/**
 * The one-time URLs we mail (mail verification, additional student ID, …): 256-bit tokens
 * of which only a hash is stored, a limited lifetime, single use (consumed atomically by the
 * store), and a rate limit per account and purpose. The token itself exists only in the mail.
 */
export class OneTimeTokens {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly random: Random,
    readonly policy: OneTimeTokenPolicy = DEFAULT_TOKEN_POLICY,
  ) {}

  /** The same tokens over another store: a transaction's, so that using one up commits with the rest. */
  within(store: Store): OneTimeTokens {
    return new OneTimeTokens(store, this.clock, this.random, this.policy);
  }

  /** Checks the rate limit, stores the token's hash and returns the token to be mailed. */
  async issue(accountId: string, purpose: TokenPurpose, mail: string): Promise<{ token: string; expiresAt: Date }> {
    const now = this.clock.now();
    await this.enforceRate(accountId, purpose, now);
    const token = this.random.token(TOKEN_BYTES);
    const expiresAt = addSeconds(now, this.policy.tokenMinutes * 60);
    await this.store.tokens.insert({
      hash: hashSecret(token),
      purpose,
      accountId,
      mail,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      usedAt: null,
    });
    return { token, expiresAt };
  }

  /** The token's record if it could be used now, without using it up; else `token.unknown|expired|used`. */
  async peek(token: string, purpose: TokenPurpose | TokenPurpose[]): Promise<OneTimeToken> {
    const purposes = Array.isArray(purpose) ? purpose : [purpose];
    const record = await this.store.tokens.get(hashSecret(token));
    if (!record || !purposes.includes(record.purpose)) throw new DomainError('token.unknown');
    if (record.usedAt !== null) throw new DomainError('token.used');
    if (this.clock.now() >= new Date(record.expiresAt)) throw new DomainError('token.expired');
    return record;
  }

  /**
   * Uses the token up (atomically: only if unused and unexpired) and returns its record as it
   * was; else `token.unknown|expired|used`, with `errorParams` of the known record, if any.
   */
  async consume(token: string, purpose: TokenPurpose | TokenPurpose[], errorParams?: (known: OneTimeToken) => Record<string, string>): Promise<OneTimeToken> {
    const hash = hashSecret(token);
    const result = await this.store.tokens.consume(hash, purpose, this.clock.now().toISOString());
    if (result.ok) return result.token;
    const known = errorParams ? await this.store.tokens.get(hash) : null;
    throw new DomainError(`token.${result.reason}`, known && errorParams ? errorParams(known) : {});
  }

  /** The newest token of this purpose for the account that could still be used, if any. */
  async live(accountId: string, purpose: TokenPurpose): Promise<OneTimeToken | null> {
    const latest = await this.store.tokens.latest(accountId, purpose);
    return latest && latest.usedAt === null && new Date(latest.expiresAt) > this.clock.now() ? latest : null;
  }

  private async enforceRate(accountId: string, purpose: TokenPurpose, now: Date): Promise<void> {
    const latest = await this.store.tokens.latest(accountId, purpose);
    if (latest) {
      const wait = this.policy.resendIntervalSeconds - Math.floor((now.getTime() - new Date(latest.createdAt).getTime()) / 1000);
      if (wait > 0) throw new DomainError('mail.rateLimited', { seconds: wait });
    }
    const hourAgo = addSeconds(now, -3600).toISOString();
    if ((await this.store.tokens.countSince(accountId, purpose, hourAgo)) >= this.policy.maxPerHour) {
      throw new DomainError('mail.rateLimited', { seconds: 3600 - this.policy.resendIntervalSeconds });
    }
  }
}
