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
  lastLoginAt: string | null;
}

export interface StaffStore {
  get(id: string): Promise<StaffUser | null>;
  findByUsername(username: string): Promise<StaffUser | null>;
  /** False when the username exists. */
  insert(user: StaffUser): Promise<boolean>;
  update(id: string, patch: Partial<Omit<StaffUser, 'id'>>): Promise<StaffUser | null>;
  list(): Promise<StaffUser[]>;
}
