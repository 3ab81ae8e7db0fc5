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
export interface StaffSessionService {
  readonly policy: StaffSessionPolicy;
  /** The same sessions over another store: a transaction's, so that a login commits with its audit entry. */
  within(store: StaffSessionStore): StaffSessionService;
  create(staffId: string): Promise<LiveStaffSession>;
  /**
   * The session of a browser at the login form: never stored. Its id lives only in the cookie
   * (`id`, or a fresh one when null) and its CSRF token is derived from it, so opening the
   * login form costs no write however often it is done.
   */
  anonymous(id: string | null): LiveStaffSession;
  /** The stored session named by `id`, or null when unknown, idle too long or past its end. */
  load(id: string): Promise<LiveStaffSession | null>;
  /** True when the user may no longer use this session (disabled, or the password was reset since). */
  isRevoked(session: StaffSession, user: StaffUser | null): boolean;
  /** Login: the old session (if any) ends; a new id and CSRF token. */
  regenerate(old: LiveStaffSession | null, staffId: string): Promise<LiveStaffSession>;
  destroy(session: LiveStaffSession): Promise<void>;
}

export interface StaffSessionServiceDeps {
  store: StaffSessionStore;
  clock: Clock;
  random: Random;
  policy?: StaffSessionPolicy;
}

export function createStaffSessionService(deps: StaffSessionServiceDeps): StaffSessionService {
  const { store, clock, random } = deps;
  const policy = deps.policy ?? STAFF_SESSION_POLICY;

  /** A session is over once it has been idle `idleSeconds` or reached its absolute end. */
  function cutoffs(now: Date): { lastSeenBy: string; expiresBy: string } {
    return { lastSeenBy: addSeconds(now, -policy.idleSeconds).toISOString(), expiresBy: now.toISOString() };
  }

  function expired(s: StaffSession, now: Date): boolean {
    const { lastSeenBy, expiresBy } = cutoffs(now);
    return Date.parse(s.lastSeenAt) <= Date.parse(lastSeenBy) || Date.parse(s.expiresAt) <= Date.parse(expiresBy);
  }

  async function create(staffId: string): Promise<LiveStaffSession> {
    const now = clock.now();
    await store.pruneExpired(cutoffs(now));
    const id = random.token(32);
    const record: StaffSession = {
      idHash: hashSecret(id),
      staffId,
      csrfToken: random.token(32),
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: addSeconds(now, policy.absoluteSeconds).toISOString(),
    };
    await store.put(record);
    return { id, record };
  }

  return {
    policy,
    within: (other) => createStaffSessionService({ ...deps, store: other, policy }),
    create,

    anonymous(id) {
      const sessionId = id ?? random.token(32);
      const now = clock.now().toISOString();
      return {
        id: sessionId,
        record: {
          idHash: hashSecret(sessionId),
          staffId: null,
          csrfToken: deriveSecret(sessionId, 'staff-csrf'),
          createdAt: now,
          lastSeenAt: now,
          expiresAt: now,
        },
      };
    },

    async load(id) {
      const record = await store.get(hashSecret(id));
      if (!record) return null;
      const now = clock.now();
      if (expired(record, now)) {
        await store.delete(record.idHash);
        return null;
      }
      if (now.getTime() - new Date(record.lastSeenAt).getTime() >= policy.touchEverySeconds * 1000) {
        record.lastSeenAt = now.toISOString();
        await store.put(record);
      }
      return { id, record };
    },

    isRevoked(session, user) {
      if (!user || user.disabled) return true;
      return !!user.sessionsNotBefore && session.createdAt < user.sessionsNotBefore;
    },

    async regenerate(old, staffId) {
      if (old) await store.delete(old.record.idHash);
      return create(staffId);
    },

    async destroy(session) {
      await store.delete(session.record.idHash);
    },
  };
}
