import type { GraduateCredentials, GraduateCredentialStore } from '../../domain/graduates/model.js';
import { isoOf, type Queryable } from './queryable.js';

interface CredentialsRow {
  account_id: string;
  password_hash: string;
  second_password_hash: string;
  created_at: Date;
  password_changed_at: Date;
  second_password_changed_at: Date;
}

const toCredentials = (r: CredentialsRow): GraduateCredentials => ({
  accountId: r.account_id,
  passwordHash: r.password_hash,
  secondPasswordHash: r.second_password_hash,
  createdAt: isoOf(r.created_at),
  passwordChangedAt: isoOf(r.password_changed_at),
  secondPasswordChangedAt: isoOf(r.second_password_changed_at),
});

const COLUMNS: readonly [keyof Omit<GraduateCredentials, 'accountId'>, string][] = [
  ['passwordHash', 'password_hash'],
  ['secondPasswordHash', 'second_password_hash'],
  ['createdAt', 'created_at'],
  ['passwordChangedAt', 'password_changed_at'],
  ['secondPasswordChangedAt', 'second_password_changed_at'],
];

/** Graduates' password hashes in `graduate_credentials`, one row per (existing) account. */
export function openPostgresGraduateCredentialStore(db: Queryable): GraduateCredentialStore {
  const one = async (text: string, values: unknown[]) => {
    const { rows } = await db.query<CredentialsRow>(text, values);
    return rows[0] ? toCredentials(rows[0]) : null;
  };
  return {
    get: (accountId) => one('SELECT * FROM graduate_credentials WHERE account_id = $1', [accountId]),
    async insert(c) {
      const { rowCount } = await db.query(
        `INSERT INTO graduate_credentials (account_id, ${COLUMNS.map(([, col]) => col).join(', ')}) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (account_id) DO NOTHING`,
        [c.accountId, ...COLUMNS.map(([field]) => c[field])],
      );
      return rowCount === 1;
    },
    async update(accountId, patch) {
      const set = COLUMNS.filter(([field]) => patch[field] !== undefined);
      if (set.length === 0) return one('SELECT * FROM graduate_credentials WHERE account_id = $1', [accountId]);
      return one(`UPDATE graduate_credentials SET ${set.map(([, col], i) => `${col} = $${i + 2}`).join(', ')} WHERE account_id = $1 RETURNING *`, [
        accountId,
        ...set.map(([field]) => patch[field]),
      ]);
    },
  };
}
