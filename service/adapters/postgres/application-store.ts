import type { Application, ApplicationEvent, ApplicationQuery, ApplicationStore } from '../../domain/applications/model.js';
import { applicationSearchKey } from '../../domain/applications/search.js';
import { pageWindow } from '../../domain/paging.js';
import { atomically, isoOf, isoOrNull, jsonParam, type Queryable } from './queryable.js';

interface ApplicationRow {
  id: string;
  kind: Application['kind'];
  account_id: string;
  status: Application['status'];
  form: Application['form'];
  mail: string;
  language: Application['language'];
  reason: string | null;
  created_at: Date;
  updated_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  /** The history as `application_events` rows in `seq` order (jsonb_agg), null when there are none. */
  events: ApplicationEvent[] | null;
}

/** jsonb keeps a timestamptz as PostgreSQL prints it; the domain's instants are ISO in UTC. */
const historyOf = (events: ApplicationEvent[]): ApplicationEvent[] =>
  events.map((e) => ({ at: new Date(e.at).toISOString(), action: e.action, actor: e.actor, reason: e.reason }));

const toApplication = (r: ApplicationRow): Application => ({
  id: r.id,
  kind: r.kind,
  accountId: r.account_id,
  status: r.status,
  form: r.form,
  mail: r.mail,
  language: r.language,
  reason: r.reason,
  createdAt: isoOf(r.created_at),
  updatedAt: isoOf(r.updated_at),
  decidedAt: isoOrNull(r.decided_at),
  decidedBy: r.decided_by,
  history: historyOf(r.events ?? []),
});

/** Every column but the history, with the application's history as `events`. */
const WITH_EVENTS = (alias: string) =>
  `${alias}.*, (SELECT jsonb_agg(jsonb_build_object('at', e.at, 'action', e.action, 'actor', e.actor, 'reason', e.reason) ORDER BY e.seq)
     FROM application_events e WHERE e.application_id = ${alias}.id) AS events`;

/** Newest first; ties by id, descending, compared as the lowdb adapter compares them. */
const NEWEST_FIRST = 'created_at DESC, id COLLATE "C" DESC';

/** Scalar fields and their columns (the form is jsonb; the history lives in application_events). */
const COLUMNS: readonly [keyof Omit<Application, 'id' | 'history'>, string][] = [
  ['kind', 'kind'],
  ['accountId', 'account_id'],
  ['status', 'status'],
  ['form', 'form'],
  ['mail', 'mail'],
  ['language', 'language'],
  ['reason', 'reason'],
  ['createdAt', 'created_at'],
  ['updatedAt', 'updated_at'],
  ['decidedAt', 'decided_at'],
  ['decidedBy', 'decided_by'],
];
const param = (field: keyof Application, value: unknown) => (field === 'form' ? jsonParam(value) : (value ?? null));

/**
 * The history as `application_events` rows: `seq` from 1, `round` the submission each event
 * belongs to (a resubmission starts the next), which keeps one decision per submission.
 */
function eventRows(history: ApplicationEvent[]) {
  let round = 1;
  return history.map((e, i) => {
    if (e.action === 'resubmitted') round += 1;
    return { seq: i + 1, round, at: e.at, action: e.action, actor: e.actor, reason: e.reason };
  });
}
const roundOf = (history: ApplicationEvent[]) => 1 + history.filter((e) => e.action === 'resubmitted').length;

/** The form fields the search key reads, empty: for the key's mail line alone. */
const NO_FORM = { studentId: '', nameKanji: '', nameKana: '', nameRoman: '' } as Application['form'];

/**
 * The search key written with a change of the form or the mail alone: the key's last line is the
 * mail's (applicationSearchKey), the lines before it the form's.
 */
function searchKeyAssignment(changes: Partial<Application>, values: unknown[]): string | null {
  if (changes.form === undefined && changes.mail === undefined) return null;
  const lines = (form: Application['form'], mail: string) => applicationSearchKey({ form, mail }).split('\n');
  if (changes.form !== undefined && changes.mail !== undefined) {
    values.push(applicationSearchKey({ form: changes.form, mail: changes.mail }));
    return `search_key = $${values.length}`;
  }
  const stored = `string_to_array(search_key, E'\\n')`;
  if (changes.form !== undefined) {
    values.push(lines(changes.form, '').slice(0, -1).join('\n'));
    return `search_key = $${values.length} || E'\\n' || (${stored})[cardinality(${stored})]`;
  }
  values.push(lines(NO_FORM, changes.mail!).at(-1));
  return `search_key = array_to_string((${stored})[1:cardinality(${stored}) - 1], E'\\n') || E'\\n' || $${values.length}`;
}

/**
 * Applications in `applications`, their history in `application_events`, with the domain's
 * search key stored beside each. `update` is one statement: the guarded UPDATE and, only when it
 * matched, the history's rewrite, so of two staff decisions exactly one applies.
 */
export function openPostgresApplicationStore(db: Queryable): ApplicationStore {
  return {
    async insert(application) {
      const { id, history } = application;
      await atomically(db, async (tx) => {
        const columns = ['id', ...COLUMNS.map(([, c]) => c), 'round', 'search_key'];
        await tx.query(`INSERT INTO applications (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, [
          id,
          ...COLUMNS.map(([field]) => param(field, application[field])),
          roundOf(history),
          applicationSearchKey(application),
        ]);
        if (history.length > 0) {
          await tx.query(
            `INSERT INTO application_events (application_id, seq, round, at, action, actor, reason)
             SELECT $1, seq, round, at, action, actor, reason
             FROM jsonb_to_recordset($2::jsonb) AS h(seq integer, round integer, at timestamptz, action text, actor text, reason text)`,
            [id, JSON.stringify(eventRows(history))],
          );
        }
      });
    },

    async get(id) {
      const { rows } = await db.query<ApplicationRow>(`SELECT ${WITH_EVENTS('a')} FROM applications a WHERE a.id = $1`, [id]);
      return rows[0] ? toApplication(rows[0]) : null;
    },

    async update(id, expected, changes) {
      const values: unknown[] = [id, expected.status, expected.updatedAt];
      const set = COLUMNS.filter(([field]) => field in changes && changes[field] !== undefined).map(([field, column]) => {
        values.push(param(field, changes[field]));
        return `${column} = $${values.length}`;
      });
      const key = searchKeyAssignment(changes, values);
      if (key) set.push(key);
      const history = changes.history;
      let rewrite = '';
      if (history !== undefined) {
        values.push(roundOf(history));
        set.push(`round = $${values.length}`);
        values.push(JSON.stringify(eventRows(history)), history.length);
        const [events, count] = [values.length - 1, values.length];
        // Data-modifying CTEs all see the rows as before the statement: dropping the events past
        // the new history and writing the rest never touch the same row.
        rewrite = `,
          dropped AS (DELETE FROM application_events e USING updated u WHERE e.application_id = u.id AND e.seq > $${count}),
          written AS (
            INSERT INTO application_events (application_id, seq, round, at, action, actor, reason)
            SELECT u.id, h.seq, h.round, h.at, h.action, h.actor, h.reason
            FROM updated u, jsonb_to_recordset($${events}::jsonb) AS h(seq integer, round integer, at timestamptz, action text, actor text, reason text)
            ON CONFLICT (application_id, seq) DO UPDATE SET round = EXCLUDED.round, at = EXCLUDED.at, action = EXCLUDED.action, actor = EXCLUDED.actor, reason = EXCLUDED.reason
          )`;
      }
      // Nothing to change still checks the guard and answers with the stored record.
      if (set.length === 0) set.push('id = id');
      const { rows } = await db.query<ApplicationRow>(
        `WITH updated AS (UPDATE applications SET ${set.join(', ')} WHERE id = $1 AND status = $2 AND updated_at = $3 RETURNING *)${rewrite}
         SELECT ${WITH_EVENTS('u')} FROM updated u`,
        values,
      );
      if (!rows[0]) return null;
      const updated = toApplication(rows[0]);
      // The statement's own reads see the history as it was before it.
      return history === undefined ? updated : { ...updated, history: historyOf(history) };
    },

    async listForAccount(accountId) {
      const { rows } = await db.query<ApplicationRow>(`SELECT ${WITH_EVENTS('a')} FROM applications a WHERE a.account_id = $1 ORDER BY ${NEWEST_FIRST}`, [
        accountId,
      ]);
      return rows.map(toApplication);
    },

    async list(query: ApplicationQuery) {
      const { offset, limit } = pageWindow(query);
      const values: unknown[] = [];
      const where: string[] = [];
      if (query.status) where.push(`status = $${values.push(query.status)}`);
      if (query.kind) where.push(`kind = $${values.push(query.kind)}`);
      if (query.searchKeyContains) where.push(`strpos(search_key, $${values.push(query.searchKeyContains)}) > 0`);
      const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const { rows } = await db.query<ApplicationRow & { total: number }>(
        `SELECT ${WITH_EVENTS('a')}, count(*) OVER ()::int AS total FROM applications a ${filter}
         ORDER BY ${NEWEST_FIRST} OFFSET $${values.push(offset)} LIMIT $${values.push(limit)}`,
        values,
      );
      // Past the last page no row carries the count.
      const total =
        rows[0]?.total ??
        (offset === 0 ? 0 : (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM applications ${filter}`, values.slice(0, -2))).rows[0]!.n);
      return { total, items: rows.map(({ total: _t, ...r }) => toApplication(r)) };
    },
  };
}
