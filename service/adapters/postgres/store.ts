import type { Account, OneTimeToken, Session, TokenPurpose } from '../../domain/model.js';
import type { Store } from '../../domain/ports.js';
import { atomically, isoOf, isoOrNull, type Queryable } from './queryable.js';

interface AccountRow {
  id: string;
  idp_entity_id: string;
  user_id: string;
  mail: string | null;
  idp_mail: string | null;
  display_name: string | null;
  name_kanji: string | null;
  name_kana: string | null;
  name_roman: string | null;
  student_ids: string[];
  affiliation: string | null;
  language: Account['language'];
  created_at: Date;
  last_login_at: Date | null;
  previous_login_at: Date | null;
  kind: Account['kind'] | null;
  active: boolean | null;
}

const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  idpEntityId: r.idp_entity_id,
  userId: r.user_id,
  mail: r.mail,
  idpMail: r.idp_mail,
  displayName: r.display_name,
  nameKanji: r.name_kanji,
  nameKana: r.name_kana,
  nameRoman: r.name_roman,
  studentIds: r.student_ids,
  affiliation: r.affiliation,
  language: r.language,
  createdAt: isoOf(r.created_at),
  lastLoginAt: isoOrNull(r.last_login_at),
  previousLoginAt: isoOrNull(r.previous_login_at),
  // Absent in the domain unless set (a campus account, active).
  ...(r.kind !== null ? { kind: r.kind } : {}),
  ...(r.active !== null ? { active: r.active } : {}),
});

/** Account fields and their columns, in the order of the INSERT. */
const ACCOUNT_COLUMNS: readonly [keyof Omit<Account, 'id'>, string][] = [
  ['idpEntityId', 'idp_entity_id'],
  ['userId', 'user_id'],
  ['mail', 'mail'],
  ['idpMail', 'idp_mail'],
  ['displayName', 'display_name'],
  ['nameKanji', 'name_kanji'],
  ['nameKana', 'name_kana'],
  ['nameRoman', 'name_roman'],
  ['studentIds', 'student_ids'],
  ['affiliation', 'affiliation'],
  ['language', 'language'],
  ['createdAt', 'created_at'],
  ['lastLoginAt', 'last_login_at'],
  ['previousLoginAt', 'previous_login_at'],
  ['kind', 'kind'],
  ['active', 'active'],
];

interface SessionRow {
  id_hash: string;
  account_id: string | null;
  csrf_token: string;
  kiosk: boolean;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  saml_idp_entity_id: string | null;
  saml_name_id: string | null;
  saml_name_id_format: string | null;
  saml_session_index: string | null;
}

const toSession = (r: SessionRow): Session => ({
  idHash: r.id_hash,
  accountId: r.account_id,
  csrfToken: r.csrf_token,
  kiosk: r.kiosk,
  createdAt: isoOf(r.created_at),
  lastSeenAt: isoOf(r.last_seen_at),
  expiresAt: isoOf(r.expires_at),
  saml:
    r.saml_idp_entity_id === null || r.saml_name_id === null
      ? null
      : { idpEntityId: r.saml_idp_entity_id, nameId: r.saml_name_id, nameIdFormat: r.saml_name_id_format, sessionIndex: r.saml_session_index },
});

interface TokenRow {
  hash: string;
  purpose: TokenPurpose;
  account_id: string;
  mail: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

const toToken = (r: TokenRow): OneTimeToken => ({
  hash: r.hash,
  purpose: r.purpose,
  accountId: r.account_id,
  mail: r.mail,
  createdAt: isoOf(r.created_at),
  expiresAt: isoOf(r.expires_at),
  usedAt: isoOrNull(r.used_at),
});

/** Used tokens are kept a day past their expiry, so that a late click still reads "used", not "unknown". */
const TOKEN_GRACE_MS = 24 * 3600 * 1000;

/**
 * The Store over PostgreSQL: each method one statement (one transaction on a pool), the checks
 * that must hold across instances done by the database — a token is consumed by a conditional
 * UPDATE, an assertion ID remembered by INSERT … ON CONFLICT DO NOTHING, an account inserted once
 * per IdP identity by the unique constraint. `close()` leaves `db` open: whoever opened the pool ends it.
 */
export function openPostgresStore(db: Queryable): Store {
  const oneAccount = async (text: string, values: unknown[]) => {
    const { rows } = await db.query<AccountRow>(text, values);
    return rows[0] ? toAccount(rows[0]) : null;
  };

  return {
    accounts: {
      get: (id) => oneAccount('SELECT * FROM accounts WHERE id = $1', [id]),
      findByIdentity: (idpEntityId, userId) => oneAccount('SELECT * FROM accounts WHERE idp_entity_id = $1 AND user_id = $2', [idpEntityId, userId]),
      async insert(account) {
        const columns = ['id', ...ACCOUNT_COLUMNS.map(([, column]) => column)];
        const values = [account.id, ...ACCOUNT_COLUMNS.map(([field]) => account[field] ?? null)];
        // A taken identity is `false`; a taken id is a bug and throws.
        const { rowCount } = await db.query(
          `INSERT INTO accounts (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
           ON CONFLICT (idp_entity_id, user_id) DO NOTHING`,
          values,
        );
        return rowCount === 1;
      },
      async update(id, patch) {
        // An undefined value means "not given".
        const set = ACCOUNT_COLUMNS.filter(([field]) => patch[field] !== undefined);
        if (set.length === 0) return oneAccount('SELECT * FROM accounts WHERE id = $1', [id]);
        return oneAccount(`UPDATE accounts SET ${set.map(([, column], i) => `${column} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING *`, [
          id,
          ...set.map(([field]) => patch[field]),
        ]);
      },
      async findByStudentId(studentId) {
        const { rows } = await db.query<AccountRow>('SELECT * FROM accounts WHERE student_ids @> ARRAY[$1::text] ORDER BY created_at, id', [studentId]);
        return rows.map(toAccount);
      },
      addStudentId: (id, studentId) =>
        // Two accounts adding the same ID at once: the second waits for the first's commit and then sees it.
        atomically(db, async (tx) => {
          await tx.query("SELECT pg_advisory_xact_lock(hashtext('accounts.student_id'), hashtext($1))", [studentId]);
          const { rows } = await tx.query<AccountRow>(
            'SELECT * FROM accounts WHERE id = $1 OR student_ids @> ARRAY[$2::text] ORDER BY id = $1 DESC, created_at, id FOR UPDATE',
            [id, studentId],
          );
          const account = rows[0]?.id === id ? rows[0] : undefined;
          if (!account) return { ok: false as const, reason: 'notFound' as const };
          const holder = rows.find((r) => r.id !== id);
          if (holder) return { ok: false as const, reason: 'taken' as const, holderId: holder.id };
          if (account.student_ids.includes(studentId)) return { ok: true as const, account: toAccount(account), added: false };
          const updated = await tx.query<AccountRow>('UPDATE accounts SET student_ids = array_append(student_ids, $2) WHERE id = $1 RETURNING *', [
            id,
            studentId,
          ]);
          return { ok: true as const, account: toAccount(updated.rows[0]!), added: true };
        }),
    },

    sessions: {
      async get(idHash) {
        const { rows } = await db.query<SessionRow>('SELECT * FROM sessions WHERE id_hash = $1', [idHash]);
        return rows[0] ? toSession(rows[0]) : null;
      },
      async put(s) {
        await db.query(
          `INSERT INTO sessions (id_hash, account_id, csrf_token, kiosk, created_at, last_seen_at, expires_at,
             saml_idp_entity_id, saml_name_id, saml_name_id_format, saml_session_index)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (id_hash) DO UPDATE SET account_id = EXCLUDED.account_id, csrf_token = EXCLUDED.csrf_token, kiosk = EXCLUDED.kiosk,
             created_at = EXCLUDED.created_at, last_seen_at = EXCLUDED.last_seen_at, expires_at = EXCLUDED.expires_at,
             saml_idp_entity_id = EXCLUDED.saml_idp_entity_id, saml_name_id = EXCLUDED.saml_name_id,
             saml_name_id_format = EXCLUDED.saml_name_id_format, saml_session_index = EXCLUDED.saml_session_index`,
          [
            s.idHash,
            s.accountId,
            s.csrfToken,
            s.kiosk,
            s.createdAt,
            s.lastSeenAt,
            s.expiresAt,
            s.saml?.idpEntityId ?? null,
            s.saml?.nameId ?? null,
            s.saml?.nameIdFormat ?? null,
            s.saml?.sessionIndex ?? null,
          ],
        );
      },
      async delete(idHash) {
        await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
      },
      async deleteForAccount(accountId) {
        const { rowCount } = await db.query('DELETE FROM sessions WHERE account_id = $1', [accountId]);
        return rowCount ?? 0;
      },
      async deleteForSaml(ref) {
        const { rowCount } = await db.query(
          'DELETE FROM sessions WHERE saml_idp_entity_id = $1 AND saml_name_id = $2 AND ($3::text IS NULL OR saml_session_index = $3)',
          [ref.idpEntityId, ref.nameId, ref.sessionIndex],
        );
        return rowCount ?? 0;
      },
    },

    tokens: {
      async insert(t) {
        // A duplicate hash fails (never overwrite a used token).
        await db.query(
          `INSERT INTO one_time_tokens (hash, purpose, account_id, mail, created_at, expires_at, used, used_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [t.hash, t.purpose, t.accountId, t.mail, t.createdAt, t.expiresAt, t.usedAt !== null, t.usedAt],
        );
      },
      async get(hash) {
        const { rows } = await db.query<TokenRow>('SELECT * FROM one_time_tokens WHERE hash = $1', [hash]);
        return rows[0] ? toToken(rows[0]) : null;
      },
      async consume(hash, purpose, now) {
        const purposes: TokenPurpose[] = Array.isArray(purpose) ? purpose : [purpose];
        const { rows } = await db.query<TokenRow>(
          `UPDATE one_time_tokens SET used = true, used_at = $3
           WHERE hash = $1 AND purpose = ANY($2::text[]) AND NOT used AND expires_at > $3 RETURNING *`,
          [hash, purposes, now],
        );
        // The token as it was before: unused.
        if (rows[0]) return { ok: true, token: { ...toToken(rows[0]), usedAt: null } };
        const found = await db.query<TokenRow>('SELECT * FROM one_time_tokens WHERE hash = $1 AND purpose = ANY($2::text[])', [hash, purposes]);
        const t = found.rows[0];
        if (!t) return { ok: false, reason: 'unknown' };
        return { ok: false, reason: t.used_at !== null ? 'used' : 'expired' };
      },
      async countSince(accountId, purpose, since) {
        const { rows } = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM one_time_tokens WHERE account_id = $1 AND purpose = $2 AND created_at >= $3',
          [accountId, purpose, since],
        );
        return rows[0]!.n;
      },
      async latest(accountId, purpose) {
        const { rows } = await db.query<TokenRow>('SELECT * FROM one_time_tokens WHERE account_id = $1 AND purpose = $2 ORDER BY created_at DESC LIMIT 1', [
          accountId,
          purpose,
        ]);
        return rows[0] ? toToken(rows[0]) : null;
      },
    },

    saml: {
      async rememberAssertion(assertionId, expiresAt) {
        // Seen is seen, even past its expiry: a replay is refused until the entry is pruned.
        const { rowCount } = await db.query('INSERT INTO saml_replay_cache (id, expires_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
          assertionId,
          expiresAt,
        ]);
        return rowCount === 1;
      },
      async hasSeenAssertion(assertionId) {
        const { rowCount } = await db.query('SELECT 1 FROM saml_replay_cache WHERE id = $1', [assertionId]);
        return rowCount === 1;
      },
    },

    async prune(now, sessionsLastSeenBy) {
      const tokensBefore = new Date(Date.parse(now) - TOKEN_GRACE_MS).toISOString();
      await db.query('DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2', [now, sessionsLastSeenBy ?? '-infinity']);
      await db.query('DELETE FROM one_time_tokens WHERE expires_at < $1', [tokensBefore]);
      await db.query('DELETE FROM saml_replay_cache WHERE expires_at <= $1', [now]);
    },

    async close() {},
  };
}
