/** University staff (事務担当) who use the console at /admin. */
export type StaffRole = 'reviewer' | 'administrator';

export interface StaffUser {
  id: string;
  /** Login name, unique, lower case. */
  username: string;
  displayName: string;
  role: StaffRole;
  /** scrypt hash with its parameters and salt (see domain/passwords.ts). */
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
  /**
   * As read from the store: null, or the last login before logins stopped writing it. What staff
   * see (StaffAccounts.list) is the newer of this and the last `staff.login` audit entry.
   */
  lastLoginAt: string | null;
  /**
   * Staff sessions created before this instant are void: set when the password is reset or the
   * user is disabled (by the CLI, which cannot reach the service's sessions). Absent = none.
   */
  sessionsNotBefore?: string | null;
}

export interface StaffStore {
  get(id: string): Promise<StaffUser | null>;
  findByUsername(username: string): Promise<StaffUser | null>;
  /** False when the username exists. */
  insert(user: StaffUser): Promise<boolean>;
  update(id: string, patch: Partial<Omit<StaffUser, 'id'>>): Promise<StaffUser | null>;
  list(): Promise<StaffUser[]>;
}

/** A staff console session (cookie `shomei_staff`, `__Host-shomei_staff` under https); apart from student sessions. */
export interface StaffSession {
  /** sha256 of the session id; the id itself only ever exists in the cookie. */
  idHash: string;
  /** Null while nobody has signed in (the login form's session, never stored). */
  staffId: string | null;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  /** Absolute end. */
  expiresAt: string;
}

export interface StaffSessionStore {
  get(idHash: string): Promise<StaffSession | null>;
  put(session: StaffSession): Promise<void>;
  delete(idHash: string): Promise<void>;
  /**
   * Deletes sessions last seen at or before `lastSeenBy` (idle too long) or whose `expiresAt` is at
   * or before `expiresBy` (past their absolute end); returns how many.
   */
  pruneExpired(cutoffs: { lastSeenBy: string; expiresBy: string }): Promise<number>;
}
