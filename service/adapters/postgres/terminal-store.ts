import type { PrinterState, Terminal, TerminalStatus, TerminalStore } from '../../domain/terminals/model.js';
import { isoOf, isoOrNull, type Queryable } from './queryable.js';

interface TerminalRow {
  id: string;
  name: string;
  name_key: string | null;
  location: string;
  public_key: string;
  status: TerminalStatus;
  embedded: boolean;
  enrolled_at: Date;
  key_issued_at: Date;
  revoked_at: Date | null;
  last_contact_at: Date | null;
  shell_version: string | null;
  printer: PrinterState | null;
}

const toTerminal = (r: TerminalRow): Terminal => ({
  id: r.id,
  name: r.name,
  nameKey: r.name_key,
  location: r.location,
  publicKey: r.public_key,
  status: r.status,
  embedded: r.embedded,
  enrolledAt: isoOf(r.enrolled_at),
  keyIssuedAt: isoOf(r.key_issued_at),
  revokedAt: isoOrNull(r.revoked_at),
  lastContactAt: isoOrNull(r.last_contact_at),
  shellVersion: r.shell_version,
  printer: r.printer,
});

const COLUMNS: readonly [keyof Omit<Terminal, 'id'>, string][] = [
  ['name', 'name'],
  ['nameKey', 'name_key'],
  ['location', 'location'],
  ['publicKey', 'public_key'],
  ['status', 'status'],
  ['embedded', 'embedded'],
  ['enrolledAt', 'enrolled_at'],
  ['keyIssuedAt', 'key_issued_at'],
  ['revokedAt', 'revoked_at'],
  ['lastContactAt', 'last_contact_at'],
  ['shellVersion', 'shell_version'],
  ['printer', 'printer'],
];

/** Enrolled terminals in `terminals` (a handful of rows, read on every kiosk request). */
export function openPostgresTerminalStore(db: Queryable): TerminalStore {
  return {
    async get(id) {
      const { rows } = await db.query<TerminalRow>('SELECT * FROM terminals WHERE id = $1', [id]);
      return rows[0] ? toTerminal(rows[0]) : null;
    },
    async list() {
      const { rows } = await db.query<TerminalRow>('SELECT * FROM terminals ORDER BY enrolled_at, id');
      return rows.map(toTerminal);
    },
    async insert(t) {
      const columns = ['id', ...COLUMNS.map(([, c]) => c)];
      // A taken id or name key (terminals_unique_name_key): false.
      const { rowCount } = await db.query(
        `INSERT INTO terminals (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`,
        [t.id, ...COLUMNS.map(([field]) => t[field] ?? null)],
      );
      return rowCount === 1;
    },
    async update(id, expected, changes) {
      const set = COLUMNS.filter(([field]) => changes[field] !== undefined);
      const assignments = set.length ? set.map(([, c], i) => `${c} = $${i + 4}`).join(', ') : 'id = id';
      // Only while the terminal still has the status and key it was read with: a revocation wins.
      const { rows } = await db.query<TerminalRow>(`UPDATE terminals SET ${assignments} WHERE id = $1 AND status = $2 AND public_key = $3 RETURNING *`, [
        id,
        expected.status,
        expected.publicKey,
        ...set.map(([field]) => changes[field]),
      ]);
      return rows[0] ? toTerminal(rows[0]) : null;
    },
  };
}
