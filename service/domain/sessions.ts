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
export interface SessionService {
  idleSeconds(kiosk: boolean): number;
  /** A new stored session for `accountId` (see `regenerate`, which also ends the old one). */
  create(options: { kiosk: boolean; accountId: string; saml?: SamlSessionRef | null }): Promise<LiveSession>;
  /**
   * The session of a visitor nobody has signed in as: never stored. Its id lives only in the
   * browser's cookie (`id`, or a fresh one for a new visitor when null) and its CSRF token is
   * derived from that id, so a visitor who only looks writes nothing and leaves nothing behind,
   * however many came before. Signing in always starts a new stored session (`regenerate`).
   */
  anonymous(id: string | null, kiosk: boolean): LiveSession;
  /** The stored session named by `id`, or null when unknown, idle too long or past its absolute end. */
  load(id: string): Promise<LiveSession | null>;
  /** Replaces `old` (if any) by a fresh session for `accountId`: a new id and CSRF token at every login. */
  regenerate(old: LiveSession | null, options: { kiosk: boolean; accountId: string; saml: SamlSessionRef | null }): Promise<LiveSession>;
  destroy(session: LiveSession): Promise<void>;
  /** Ends every session of an account (e.g. IdP-initiated logout). */
  destroyForAccount(accountId: string): Promise<number>;
  /** Ends the sessions that came from one IdP session (IdP-initiated single logout). */
  destroyForSamlSession(ref: { idpEntityId: string; nameId: string; sessionIndex: string | null }): Promise<number>;
}

export interface SessionServiceDeps {
  store: Store;
  clock: Clock;
  random: Random;
  policy: SessionPolicy;
}

export function createSessionService(deps: SessionServiceDeps): SessionService {
  const { store, clock, random, policy } = deps;
  const idleSeconds = (kiosk: boolean): number => (kiosk ? policy.kioskIdleSeconds : policy.idleSeconds);

  async function create(options: { kiosk: boolean; accountId: string; saml?: SamlSessionRef | null }): Promise<LiveSession> {
    const now = clock.now();
    const id = random.token(32);
    const record: Session = {
      idHash: hashSecret(id),
      accountId: options.accountId,
      csrfToken: random.token(32),
      kiosk: options.kiosk,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: addSeconds(now, policy.absoluteSeconds).toISOString(),
      saml: options.saml ?? null,
    };
    await store.sessions.put(record);
    return { id, record };
  }

  return {
    idleSeconds,
    create,

    anonymous(id, kiosk) {
      const sessionId = id ?? random.token(32);
      const now = clock.now().toISOString();
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
    },

    async load(id) {
      const idHash = hashSecret(id);
      const record = await store.sessions.get(idHash);
      if (!record) return null;
      const now = clock.now();
      const t = now.getTime();
      const lastSeen = Date.parse(record.lastSeenAt);
      if (t >= lastSeen + idleSeconds(record.kiosk) * 1000 || t >= Date.parse(record.expiresAt)) {
        await store.sessions.delete(idHash);
        return null;
      }
      // Written at most every touchEverySeconds: most requests of a session only read it.
      if (t - lastSeen >= policy.touchEverySeconds * 1000) {
        record.lastSeenAt = now.toISOString();
        await store.sessions.put(record);
      }
      return { id, record };
    },

    async regenerate(old, options) {
      if (old) await store.sessions.delete(old.record.idHash);
      return create(options);
    },

    async destroy(session) {
      await store.sessions.delete(session.record.idHash);
    },

    destroyForAccount: (accountId) => store.sessions.deleteForAccount(accountId),
    destroyForSamlSession: (ref) => store.sessions.deleteForSaml(ref),
  };
}
