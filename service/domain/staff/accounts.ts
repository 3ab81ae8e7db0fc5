import type { AuditLog } from '../audit.js';
import { DomainError } from '../errors.js';
import { burn, hashPassword, needsRehash, verifyPassword } from '../passwords.js';
import type { Clock, Random } from '../ports.js';
import type { StaffRole, StaffStore, StaffUser } from './model.js';
import { createLoginThrottle, type LoginThrottle, type LoginThrottleStore } from './throttle.js';

export const STAFF_PASSWORD_MIN_LENGTH = 12;
export const STAFF_PASSWORD_MAX_LENGTH = 256;
export const STAFF_ROLES: readonly StaffRole[] = ['reviewer', 'administrator'];
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;

const latest = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : Date.parse(a) >= Date.parse(b) ? a : b);

/** Who did something to staff accounts, for the audit log. */
export interface StaffActor {
  type: 'staff' | 'system';
  id: string;
  name: string;
}

/** Why a CLI command could not be done (the CLI prints these; they never reach a browser). */
export class StaffAccountError extends Error {
  constructor(
    readonly reason:
      'username.invalid' | 'username.taken' | 'user.notFound' | 'password.tooShort' | 'password.tooLong' | 'role.invalid' | 'displayName.invalid',
    message: string,
  ) {
    super(message);
    this.name = 'StaffAccountError';
  }
}

/** User names are compared in lower case, without surrounding spaces. */
export const normalizeUsername = (username: string): string => username.normalize('NFKC').trim().toLowerCase();

/** The staff user as shown to other staff and written to the audit log: never the hash. */
export const publicStaff = (u: StaffUser) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  disabled: u.disabled,
  createdAt: u.createdAt,
  lastLoginAt: u.lastLoginAt,
});

/**
 * Staff accounts: created and changed by the CLI (or the demo seed), used by the console's login.
 */
export interface StaffAccounts {
  /** Slows down and locks repeated failed console logins per name. */
  readonly throttle: LoginThrottle;
  /** A strong random password (144 bits) for a new user or a reset. */
  generatePassword(): string;
  checkPassword(password: string): void;
  create(input: { username: string; displayName?: string; role: string; password: string }, actor: StaffActor): Promise<StaffUser>;
  disable(usernameInput: string, actor: StaffActor): Promise<StaffUser>;
  /** Sets a new password (and enables the user); every session of the user ends. */
  resetPassword(usernameInput: string, password: string, actor: StaffActor): Promise<StaffUser>;
  /**
   * Every user, with the time of their last console login: that is the newest `staff.login` entry
   * of the audit log (a login writes no staff record, so it costs one durable write less); a time
   * stored on the record by earlier versions counts too.
   */
  list(): Promise<StaffUser[]>;
  get(id: string): Promise<StaffUser | null>;
  /**
   * Checks a console login. Unknown names, wrong passwords and disabled users all fail with the
   * same `staff.loginFailed` after the same work; repeated failures per name are slowed down and
   * then locked (`staff.loginThrottled`, `staff.loginLocked`). Writes no session and no audit
   * entry (so no login time): the console's login is `logInStaff`.
   */
  authenticate(usernameInput: string, password: string): Promise<StaffUser>;
  /**
   * `authenticate` without its write: the user (its `lastLoginAt` now), and what a successful
   * login changes on the record (only a stronger hash, rarely), for the caller to write with the
   * rest of the login. The login time itself is the audit entry the caller writes (see `list`).
   */
  verify(usernameInput: string, password: string): Promise<{ user: StaffUser; patch: Partial<StaffUser> }>;
}

export interface StaffAccountsDeps {
  store: StaffStore;
  audit: AuditLog;
  clock: Clock;
  random: Random;
  /** Where failed console logins are counted (see `throttle`). */
  throttles: LoginThrottleStore;
}

export function createStaffAccounts(deps: StaffAccountsDeps): StaffAccounts {
  const { store, audit, clock, random, throttles } = deps;
  const throttle: LoginThrottle = createLoginThrottle({ store: throttles, clock, name: 'staff' });

  function generatePassword(): string {
    return random.token(18);
  }

  function checkPassword(password: string): void {
    const length = [...password.normalize('NFKC')].length;
    if (length < STAFF_PASSWORD_MIN_LENGTH) {
      throw new StaffAccountError('password.tooShort', `the password must have at least ${STAFF_PASSWORD_MIN_LENGTH} characters`);
    }
    if (length > STAFF_PASSWORD_MAX_LENGTH) {
      throw new StaffAccountError('password.tooLong', `the password must have at most ${STAFF_PASSWORD_MAX_LENGTH} characters`);
    }
  }

  async function create(input: { username: string; displayName?: string; role: string; password: string }, actor: StaffActor): Promise<StaffUser> {
    const username = normalizeUsername(input.username);
    if (!USERNAME.test(username)) {
      throw new StaffAccountError('username.invalid', 'a user name has 2–32 characters: a–z, 0–9, ".", "_" or "-", starting with a letter or digit');
    }
    if (!STAFF_ROLES.includes(input.role as StaffRole)) throw new StaffAccountError('role.invalid', 'the role is reviewer or administrator');
    const displayName = (input.displayName ?? username).normalize('NFC').trim();
    if (displayName.length === 0 || displayName.length > 100) throw new StaffAccountError('displayName.invalid', 'a display name has 1–100 characters');
    checkPassword(input.password);
    if (await store.findByUsername(username)) throw new StaffAccountError('username.taken', `the user name "${username}" exists already`);
    const user: StaffUser = {
      id: random.id(),
      username,
      displayName,
      role: input.role as StaffRole,
      passwordHash: await hashPassword(input.password),
      disabled: false,
      createdAt: clock.now().toISOString(),
      lastLoginAt: null,
      sessionsNotBefore: null,
    };
    if (!(await store.insert(user))) throw new StaffAccountError('username.taken', `the user name "${username}" exists already`);
    await audit.append({
      at: user.createdAt,
      actor,
      action: 'staff.user.created',
      target: { type: 'staffUser', id: user.id },
      before: null,
      after: publicStaff(user),
      note: null,
    });
    return user;
  }

  async function disable(usernameInput: string, actor: StaffActor): Promise<StaffUser> {
    const user = await byName(usernameInput);
    const now = clock.now().toISOString();
    const updated = (await store.update(user.id, { disabled: true, sessionsNotBefore: now }))!;
    await audit.append({
      at: now,
      actor,
      action: 'staff.user.disabled',
      target: { type: 'staffUser', id: user.id },
      before: publicStaff(user),
      after: publicStaff(updated),
      note: null,
    });
    return updated;
  }

  async function resetPassword(usernameInput: string, password: string, actor: StaffActor): Promise<StaffUser> {
    checkPassword(password);
    const user = await byName(usernameInput);
    const now = clock.now().toISOString();
    const updated = (await store.update(user.id, { passwordHash: await hashPassword(password), disabled: false, sessionsNotBefore: now }))!;
    await audit.append({
      at: now,
      actor,
      action: 'staff.user.passwordReset',
      target: { type: 'staffUser', id: user.id },
      before: publicStaff(user),
      after: publicStaff(updated),
      note: null,
    });
    return updated;
  }

  async function list(): Promise<StaffUser[]> {
    const users = await store.list();
    const logins = await audit.lastTimes(
      'staff.login',
      users.map((u) => u.id),
    );
    return users.map((u) => ({ ...u, lastLoginAt: latest(u.lastLoginAt, logins.get(u.id) ?? null) }));
  }

  function get(id: string): Promise<StaffUser | null> {
    return store.get(id);
  }

  async function authenticate(usernameInput: string, password: string): Promise<StaffUser> {
    const { user, patch } = await verify(usernameInput, password);
    if (Object.keys(patch).length === 0) return user;
    const updated = await store.update(user.id, patch);
    return updated ? { ...updated, lastLoginAt: user.lastLoginAt } : user;
  }

  async function verify(usernameInput: string, password: string): Promise<{ user: StaffUser; patch: Partial<StaffUser> }> {
    const username = normalizeUsername(usernameInput);
    const key = username.slice(0, 64);
    const verdict = await throttle.check(key);
    if (!verdict.allowed) {
      if (verdict.reason === 'locked') throw new DomainError('staff.loginLocked', { minutes: Math.ceil(verdict.retryAfterSeconds / 60) }, `locked: ${key}`);
      throw new DomainError('staff.loginThrottled', { seconds: verdict.retryAfterSeconds }, `throttled: ${key}`);
    }
    const user = USERNAME.test(username) ? await store.findByUsername(username) : null;
    const ok = user ? await verifyPassword(password, user.passwordHash) : await burn(password);
    if (!user || !ok || user.disabled) {
      const locked = await throttle.fail(key);
      if (locked) {
        await audit.append({
          at: clock.now().toISOString(),
          actor: { type: 'system', id: 'staff-login', name: 'staff login' },
          action: 'staff.loginLocked',
          target: { type: 'staffUsername', id: key },
          before: null,
          after: null,
          note: null,
        });
      }
      throw new DomainError('staff.loginFailed', {}, !user ? 'unknown user' : user.disabled ? 'disabled user' : 'wrong password');
    }
    await throttle.succeed(key);
    const patch: Partial<StaffUser> = {};
    if (needsRehash(user.passwordHash)) patch.passwordHash = await hashPassword(password);
    return { user: { ...user, lastLoginAt: clock.now().toISOString() }, patch };
  }

  async function byName(usernameInput: string): Promise<StaffUser> {
    const user = await store.findByUsername(normalizeUsername(usernameInput));
    if (!user) throw new StaffAccountError('user.notFound', `no staff user "${normalizeUsername(usernameInput)}"`);
    return user;
  }

  return { throttle, generatePassword, checkPassword, create, disable, resetPassword, list, get, authenticate, verify };
}
