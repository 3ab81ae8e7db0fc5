/**
 * Campus terminals (端末): kiosks enrolled by an administrator. Each holds a secret that only the
 * terminal knows; the service keeps the Ed25519 public key derived from it, which checks the
 * terminal's proofs but cannot make one (a leaked store does not let anyone pose as a terminal).
 */

/** What the shell last reported about its printer; null until it has reported. */
export type PrinterState = 'ready' | 'missing' | 'error';

export type TerminalStatus = 'active' | 'revoked';

export interface Terminal {
  /** Random, part of the terminal key; also the proof's `id`. */
  id: string;
  /** Unique among all terminals; names the terminal in the print log (`kiosk:<name>`). */
  name: string;
  /**
   * `terminalNameKey(name)`, what name uniqueness compares; null for the embedded terminal, whose
   * stored name is its id and not chosen by anyone. Absent on terminals stored before it was kept.
   */
  nameKey?: string | null;
  /** Where it stands (building, floor), free text; may be empty. */
  location: string;
  /** Ed25519 public key of the current secret: 32 bytes, base64url. */
  publicKey: string;
  status: TerminalStatus;
  /** Enrolled by the kiosk shell itself for the service it runs on the same machine (`serverUrl: null`). */
  embedded: boolean;
  enrolledAt: string;
  /** When the current secret was issued (enrolment, a new key, or the embedded shell's start). */
  keyIssuedAt: string;
  revokedAt: string | null;
  /** Last request with a valid proof (written at most about once a minute). */
  lastContactAt: string | null;
  shellVersion: string | null;
  printer: PrinterState | null;
}

/** Names differing only in width or case are the same name (ＫＩＯＳＫ-1 and kiosk-1 clash). */
export const terminalNameKey = (name: string): string => name.normalize('NFKC').toLowerCase();

/** Storage of terminals (few records, read on every kiosk request). */
export interface TerminalStore {
  get(id: string): Promise<Terminal | null>;
  list(): Promise<Terminal[]>;
  /** Adds `terminal` unless its id, or its non-null `nameKey`, is taken by a stored one; false then. */
  insert(terminal: Terminal): Promise<boolean>;
  /**
   * Writes `changes` only while the stored terminal still has `expected`'s status and key, so that
   * a revocation is never overwritten by a contact update read before it. The record after, or
   * null (absent or moved on).
   */
  update(id: string, expected: { status: TerminalStatus; publicKey: string }, changes: Partial<Omit<Terminal, 'id'>>): Promise<Terminal | null>;
}

/** The terminal's fields in audit entries: never the key. */
export const auditView = (t: Terminal) => ({
  id: t.id,
  name: t.name,
  location: t.location,
  status: t.status,
  embedded: t.embedded,
  keyIssuedAt: t.keyIssuedAt,
  revokedAt: t.revokedAt,
});
