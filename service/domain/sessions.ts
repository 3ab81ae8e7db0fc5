import { addSeconds, deriveSecret, hashSecret } from './crypto.js';
import type { SamlSessionRef, Session } from './model.js';
import type { Clock, Random, Store } from './ports.js';

export interface SessionPolicy {
  idleSeconds: number;
  kioskIdleSeconds: number;
  absoluteSeconds: number;
  /** A session's last-seen time is written at most this often (lowdb rewrites a file per write). */
  touchEverySeconds: number;
}

/** A loaded session together with the secret that names it (the cookie value). */
export interface LiveSession {
  id: string;
  record: Session;
}

/**
 * Session rules: 256-bit ids stored only as hashes, idle and absolute timeouts, regeneration at
 * login. Only signed-in sessions are stored; a visitor nobody has signed in as costs nothing.
 */
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

  /** A new stored session for `accountId` (see `regenerate`, which also ends the old one). */
  async create(options: { kiosk: boolean; accountId: string; saml?: SamlSessionRef | null }): Promise<LiveSession> {
    const now = this.clock.now();
    const id = this.random.token(32);
    const record: Session = {
      idHash: hashSecret(id),
      accountId: options.accountId,
      csrfToken: this.random.token(32),
      kiosk: options.kiosk,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: addSeconds(now, this.policy.absoluteSeconds).toISOString(),
      saml: options.saml ?? null,
    };
    await this.store.sessions.put(record);
    return { id, record };
  }

  /**
   * The session of a visitor nobody has signed in as: never stored. Its id lives only in the
   * browser's cookie (`id`, or a fresh one for a new visitor when null) and its CSRF token is
   * derived from that id, so a visitor who only looks writes nothing and leaves nothing behind,
   * however many came before. Signing in always starts a new stored session (`regenerate`).
   */
  anonymous(id: string | null, kiosk: boolean): LiveSession {
    const sessionId = id ?? this.random.token(32);
    const now = this.clock.now().toISOString();
    const record: Session = {
      idHash: hashSecret(sessionId),
      accountId: null,
      csrfToken: deriveSecret(sessionId, 'csrf'),
      kiosk,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now,
      saml: null,
    };
    return { id: sessionId, record };
  }

  /** The stored session named by `id`, or null when unknown, idle too long or past its absolute end. */
  async load(id: string): Promise<LiveSession | null> {
    const idHash = hashSecret(id);
    const record = await this.store.sessions.get(idHash);
    if (!record) return null;
    const now = this.clock.now();
    const t = now.getTime();
    const lastSeen = Date.parse(record.lastSeenAt);
    if (t >= lastSeen + this.idleSeconds(record.kiosk) * 1000 || t >= Date.parse(record.expiresAt)) {
      await this.store.sessions.delete(idHash);
      return null;
    }
    // Written at most every touchEverySeconds: most requests of a session only read it.
    if (t - lastSeen >= this.policy.touchEverySeconds * 1000) {
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
