import { addSeconds, hashSecret } from './crypto.js';
import type { SamlSessionRef, Session } from './model.js';
import type { Clock, Random, Store } from './ports.js';

export interface SessionPolicy {
  idleSeconds: number;
  kioskIdleSeconds: number;
  absoluteSeconds: number;
  /** A session's last-seen time is written at most this often (lowdb rewrites a file per write). */
  touchEverySeconds: number;
  /**
   * Absolute lifetime of a session nobody has signed in to (it only carries a CSRF token and a
   * pending login): short, so that visitors who never sign in do not fill the store.
   */
  anonymousSeconds?: number;
}

/** A loaded session together with the secret that names it (the cookie value). */
export interface LiveSession {
  id: string;
  record: Session;
}

/** Session rules: 256-bit ids stored only as hashes, idle and absolute timeouts, regeneration at login. */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly policy: SessionPolicy,
  ) {}

  idleSeconds(kiosk: boolean): number {
    return kiosk ? this.policy.kioskIdleSeconds : this.policy.idleSeconds;
  }

  async create(options: { kiosk: boolean; accountId?: string | null; saml?: SamlSessionRef | null }): Promise<LiveSession> {
    const now = this.clock.now();
    const id = this.random.token(32);
    const record: Session = {
      idHash: hashSecret(id),
      accountId: options.accountId ?? null,
      csrfToken: this.random.token(32),
      kiosk: options.kiosk,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: addSeconds(
        now,
        options.accountId ? this.policy.absoluteSeconds : (this.policy.anonymousSeconds ?? this.policy.absoluteSeconds),
      ).toISOString(),
      saml: options.saml ?? null,
    };
    await this.store.sessions.put(record);
    return { id, record };
  }

  /** The live session named by `id`, or null when unknown, idle too long or past its absolute end. */
  async load(id: string): Promise<LiveSession | null> {
    const idHash = hashSecret(id);
    const record = await this.store.sessions.get(idHash);
    if (!record) return null;
    const now = this.clock.now();
    const idleEnd = addSeconds(new Date(record.lastSeenAt), this.idleSeconds(record.kiosk));
    if (now >= idleEnd || now >= new Date(record.expiresAt)) {
      await this.store.sessions.delete(idHash);
      return null;
    }
    if (now.getTime() - new Date(record.lastSeenAt).getTime() >= this.policy.touchEverySeconds * 1000) {
      record.lastSeenAt = now.toISOString();
      await this.store.sessions.put(record);
    }
    return { id, record };
  }

  /** Replaces `old` (if any) by a fresh session for `accountId`: a new id and CSRF token at every login. */
  async regenerate(
    old: LiveSession | null,
    options: { kiosk: boolean; accountId: string; saml: SamlSessionRef | null },
  ): Promise<LiveSession> {
    if (old) await this.store.sessions.delete(old.record.idHash);
    return this.create(options);
  }

  async destroy(session: LiveSession): Promise<void> {
    await this.store.sessions.delete(session.record.idHash);
  }

  /** Ends every session of an account (e.g. IdP-initiated logout). */
  async destroyForAccount(accountId: string): Promise<number> {
    return this.store.sessions.deleteForAccount(accountId);
  }

  /** Ends the sessions that came from one IdP session (IdP-initiated single logout). */
  async destroyForSamlSession(ref: { idpEntityId: string; nameId: string; sessionIndex: string | null }): Promise<number> {
    return this.store.sessions.deleteForSaml(ref);
  }
}
