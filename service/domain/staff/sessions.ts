import { addSeconds, deriveSecret, hashSecret } from '../crypto.js';
import type { Clock, Random } from '../ports.js';
import type { StaffSession, StaffSessionStore, StaffUser } from './model.js';

export interface StaffSessionPolicy {
  idleSeconds: number;
  absoluteSeconds: number;
  /** Last-seen time is written at most this often. */
  touchEverySeconds: number;
}

export const STAFF_SESSION_POLICY: StaffSessionPolicy = {
  idleSeconds: 30 * 60,
  absoluteSeconds: 10 * 3600,
  touchEverySeconds: 60,
};

export interface LiveStaffSession {
  id: string;
  record: StaffSession;
}

/**
 * Staff console sessions: 256-bit ids stored as hashes, idle 30 min, absolute 10 h, a new id at
 * login. Only signed-in sessions are stored; the login form's session is `anonymous`.
 */
export class StaffSessionService {
  constructor(
    private readonly store: StaffSessionStore,
    private readonly clock: Clock,
    private readonly random: Random,
    readonly policy: StaffSessionPolicy = STAFF_SESSION_POLICY,
  ) {}

  /** The same sessions over another store: a transaction's, so that a login commits with its audit entry. */
  within(store: StaffSessionStore): StaffSessionService {
    return new StaffSessionService(store, this.clock, this.random, this.policy);
  }

  async create(staffId: string): Promise<LiveStaffSession> {
    const now = this.clock.now();
    await this.store.pruneExpired(this.#cutoffs(now));
    const id = this.random.token(32);
    const record: StaffSession = {
      idHash: hashSecret(id),
      staffId,
      csrfToken: this.random.token(32),
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: addSeconds(now, this.policy.absoluteSeconds).toISOString(),
    };
    await this.store.put(record);
    return { id, record };
  }

  /**
   * The session of a browser at the login form: never stored. Its id lives only in the cookie
   * (`id`, or a fresh one when null) and its CSRF token is derived from it, so opening the
   * login form costs no write however often it is done.
   */
  anonymous(id: string | null): LiveStaffSession {
    const sessionId = id ?? this.random.token(32);
    const now = this.clock.now().toISOString();
    return {
      id: sessionId,
      record: { idHash: hashSecret(sessionId), staffId: null, csrfToken: deriveSecret(sessionId, 'staff-csrf'), createdAt: now, lastSeenAt: now, expiresAt: now },
    };
  }

  /** The stored session named by `id`, or null when unknown, idle too long or past its end. */
  async load(id: string): Promise<LiveStaffSession | null> {
    const record = await this.store.get(hashSecret(id));
    if (!record) return null;
    const now = this.clock.now();
    if (this.#expired(record, now)) {
      await this.store.delete(record.idHash);
      return null;
    }
    if (now.getTime() - new Date(record.lastSeenAt).getTime() >= this.policy.touchEverySeconds * 1000) {
      record.lastSeenAt = now.toISOString();
      await this.store.put(record);
    }
    return { id, record };
  }

  /** True when the user may no longer use this session (disabled, or the password was reset since). */
  isRevoked(session: StaffSession, user: StaffUser | null): boolean {
    if (!user || user.disabled) return true;
    return !!user.sessionsNotBefore && session.createdAt < user.sessionsNotBefore;
  }

  /** Login: the old session (if any) ends; a new id and CSRF token. */
  async regenerate(old: LiveStaffSession | null, staffId: string): Promise<LiveStaffSession> {
    if (old) await this.store.delete(old.record.idHash);
    return this.create(staffId);
  }

  async destroy(session: LiveStaffSession): Promise<void> {
    await this.store.delete(session.record.idHash);
  }

  /** A session is over once it has been idle `idleSeconds` or reached its absolute end. */
  #cutoffs(now: Date): { lastSeenBy: string; expiresBy: string } {
    return { lastSeenBy: addSeconds(now, -this.policy.idleSeconds).toISOString(), expiresBy: now.toISOString() };
  }

  #expired(s: StaffSession, now: Date): boolean {
    const { lastSeenBy, expiresBy } = this.#cutoffs(now);
    return Date.parse(s.lastSeenAt) <= Date.parse(lastSeenBy) || Date.parse(s.expiresAt) <= Date.parse(expiresBy);
  }
}
