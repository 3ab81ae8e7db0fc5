/** The audit log: every staff decision and every data change — who, when, what, before/after. */

/** `recipient`: the recipient of a PDF送付 link, who has no account. */
export type AuditActorType = 'staff' | 'student' | 'graduate' | 'system' | 'recipient';

export interface AuditEntry {
  id: string;
  at: string;
  actor: { type: AuditActorType; id: string; name: string };
  /** Stable action name, e.g. `application.approved`, `registry.students.imported`, `account.studentId.added`. */
  action: string;
  /** What was acted on, e.g. `{ type: 'application', id: '…' }`. */
  target: { type: string; id: string };
  before: unknown;
  after: unknown;
  /** Free text such as the reason of a decision. */
  note: string | null;
}

export interface AuditFilter {
  action?: string;
  actorId?: string;
  /** The actor's ID, or part of the actor's name (case-insensitive). */
  actor?: string;
  targetId?: string;
  offset?: number;
  limit?: number;
}

export interface AuditLog {
  /** Appends one entry durably. Entries are never changed or deleted. */
  append(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry>;
  /** Newest first. */
  list(filter: AuditFilter): Promise<{ total: number; items: AuditEntry[] }>;
  /** The time of the newest entry with exactly this `action`, per target ID (among `targetIds`; targets without one are absent). */
  lastTimes(action: string, targetIds: readonly string[]): Promise<Map<string, string>>;
}
