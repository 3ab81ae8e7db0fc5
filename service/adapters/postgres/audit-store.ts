import type { AuditActorType, AuditEntry, AuditFilter, AuditLog } from '../../domain/audit.js';
import { pageWindow } from '../../domain/paging.js';
import type { Random } from '../../domain/ports.js';
import { isoOf, jsonParam, type Queryable } from './queryable.js';

export interface AuditRow {
  id: string;
  at: Date;
  actor_type: AuditActorType;
  actor_id: string;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string;
  before: unknown;
  after: unknown;
  note: string | null;
}

/** A row as the domain's entry (also what the DATA_DIR migration reads its check with). */
export const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: isoOf(r.at),
  actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
  action: r.action,
  target: { type: r.target_type, id: r.target_id },
  before: r.before,
  after: r.after,
  note: r.note,
});

/** The WHERE clause of a filter and its parameters. */
function where(filter: AuditFilter): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const conditions: string[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  // Exactly, or as a family when it ends with "." (e.g. `application.`).
  if (filter.action) conditions.push(filter.action.endsWith('.') ? `starts_with(action, ${param(filter.action)})` : `action = ${param(filter.action)}`);
  if (filter.actorId) conditions.push(`actor_id = ${param(filter.actorId)}`);
  // The actor's ID, or any part of the name, case-insensitive.
  if (filter.actor) {
    const id = param(filter.actor);
    conditions.push(`(actor_id = ${id} OR strpos(lower(actor_name), ${param(filter.actor.toLowerCase())}) > 0)`);
  }
  if (filter.targetId) conditions.push(`target_id = ${param(filter.targetId)}`);
  return { sql: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', values };
}

/** The audit log in `audit_log`: append-only (the schema refuses UPDATE, DELETE and TRUNCATE). Newest first, a bounded page. */
export function openPostgresAuditLog(db: Queryable, random: Random): AuditLog {
  return {
    async append(entry) {
      const { rows } = await db.query<AuditRow>(
        `INSERT INTO audit_log (id, at, actor_type, actor_id, actor_name, action, target_type, target_id, before, after, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
        [
          random.id(),
          entry.at,
          entry.actor.type,
          entry.actor.id,
          entry.actor.name,
          entry.action,
          entry.target.type,
          entry.target.id,
          jsonParam(entry.before),
          jsonParam(entry.after),
          entry.note,
        ],
      );
      return toEntry(rows[0]!);
    },
    async list(filter) {
      const { offset, limit } = pageWindow(filter);
      const { sql, values } = where(filter);
      // In turn: `db` may be one client (a unit of work), which runs one statement at a time anyway.
      const count = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM audit_log ${sql}`, values);
      const page = await db.query<AuditRow>(`SELECT * FROM audit_log ${sql} ORDER BY at DESC, seq DESC LIMIT ${limit} OFFSET ${offset}`, values);
      return { total: count.rows[0]!.total, items: page.rows.map(toEntry) };
    },
    async lastTimes(action, targetIds) {
      if (targetIds.length === 0) return new Map();
      const { rows } = await db.query<{ target_id: string; at: Date }>(
        'SELECT target_id, max(at) AS at FROM audit_log WHERE action = $1 AND target_id = ANY($2::text[]) GROUP BY target_id',
        [action, [...targetIds]],
      );
      return new Map(rows.map((r) => [r.target_id, isoOf(r.at)]));
    },
  };
}
