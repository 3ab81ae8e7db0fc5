import type { StaffSession, StaffSessionStore, StaffStore, StaffUser } from '../../domain/staff/model.js';
import { isoOf, isoOrNull, isUniqueViolation, type Queryable } from './queryable.js';

interface StaffUserRow {
  id: string;
  username: string;
  display_name: string;
  role: StaffUser['role'];
  password_hash: string;
  disabled: boolean;
  created_at: Date;
  last_login_at: Date | null;
  sessions_not_before: Date | null;
}

const toStaffUser = (r: StaffUserRow): StaffUser => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  passwordHash: r.password_hash,
  disabled: r.disabled,
  createdAt: isoOf(r.created_at),
  lastLoginAt: isoOrNull(r.last_login_at),
  // Absent until a reset or a disabling sets it.
  ...(r.sessions_not_before !== null ? { sessionsNotBefore: isoOf(r.sessions_not_before) } : {}),
});

const STAFF_COLUMNS: readonly [keyof Omit<StaffUser, 'id'>, string][] = [
  ['username', 'username'],
  ['displayName', 'display_name'],
  ['role', 'role'],
  ['passwordHash', 'password_hash'],
  ['disabled', 'disabled'],
  ['createdAt', 'created_at'],
  ['lastLoginAt', 'last_login_at'],
  ['sessionsNotBefore', 'sessions_not_before'],
];

/** Staff users in `staff_users`; the staff CLI and every instance share them. */
export function openPostgresStaffStore(db: Queryable): StaffStore {
  const one = async (text: string, values: unknown[]) => {
    const { rows } = await db.query<StaffUserRow>(text, values);
    return rows[0] ? toStaffUser(rows[0]) : null;
  };
  return {
    get: (id) => one('SELECT * FROM staff_users WHERE id = $1', [id]),
    findByUsername: (username) => one('SELECT * FROM staff_users WHERE username = $1', [username]),
    async insert(user) {
      const columns = ['id', ...STAFF_COLUMNS.map(([, c]) => c)];
      // A taken id or user name: false.
      const { rowCount } = await db.query(
        `INSERT INTO staff_users (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`,
        [user.id, ...STAFF_COLUMNS.map(([field]) => user[field] ?? null)],
      );
      return rowCount === 1;
    },
    async update(id, patch) {
      const set = STAFF_COLUMNS.filter(([field]) => patch[field] !== undefined);
      if (set.length === 0) return one('SELECT * FROM staff_users WHERE id = $1', [id]);
      const values = [id, ...set.map(([field]) => patch[field])];
      // A user name another user has: null, as for an unknown user.
      const free =
        patch.username === undefined
          ? ''
          : ` AND NOT EXISTS (SELECT 1 FROM staff_users o WHERE o.username = $${set.findIndex(([f]) => f === 'username') + 2} AND o.id <> $1)`;
      try {
        return await one(`UPDATE staff_users SET ${set.map(([, c], i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1${free} RETURNING *`, values);
      } catch (err) {
        // The same name taken at the same moment by another writer.
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },
    async list() {
      const { rows } = await db.query<StaffUserRow>('SELECT * FROM staff_users');
      // Ordered as the domain compares names, not by the database's collation.
      return rows.map(toStaffUser).sort((a, b) => a.username.localeCompare(b.username));
    },
  };
}

interface StaffSessionRow {
  id_hash: string;
  staff_id: string;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

const toStaffSession = (r: StaffSessionRow): StaffSession => ({
  idHash: r.id_hash,
  staffId: r.staff_id,
  csrfToken: r.csrf_token,
  createdAt: isoOf(r.created_at),
  lastSeenAt: isoOf(r.last_seen_at),
  expiresAt: isoOf(r.expires_at),
});

/** Signed-in staff sessions in `staff_sessions`. */
export function openPostgresStaffSessionStore(db: Queryable): StaffSessionStore {
  return {
    async get(idHash) {
      const { rows } = await db.query<StaffSessionRow>('SELECT * FROM staff_sessions WHERE id_hash = $1', [idHash]);
      return rows[0] ? toStaffSession(rows[0]) : null;
    },
    async put(s) {
      await db.query(
        `INSERT INTO staff_sessions (id_hash, staff_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id_hash) DO UPDATE SET staff_id = EXCLUDED.staff_id, csrf_token = EXCLUDED.csrf_token, created_at = EXCLUDED.created_at,
           last_seen_at = EXCLUDED.last_seen_at, expires_at = EXCLUDED.expires_at`,
        [s.idHash, s.staffId, s.csrfToken, s.createdAt, s.lastSeenAt, s.expiresAt],
      );
    },
    async delete(idHash) {
      await db.query('DELETE FROM staff_sessions WHERE id_hash = $1', [idHash]);
    },
    async pruneExpired({ lastSeenBy, expiresBy }) {
      const { rowCount } = await db.query('DELETE FROM staff_sessions WHERE last_seen_at <= $1 OR expires_at <= $2', [lastSeenBy, expiresBy]);
      return rowCount ?? 0;
    },
  };
}
