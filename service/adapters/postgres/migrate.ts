/**
 * Versioned schema migrations: `migrations/NNNN_name.sql`, applied in order by `npm run migrate`
 * (migrate-cli.ts); `checkMigrations` tells a service about to start on the database what is missing.
 *
 * Plain SQL over `pg` with typed row mappers, no query builder (kysely was the alternative): what
 * keeps the PostgreSQL adapter correct is SQL a builder would only pass through — partial unique
 * indexes, conditional `UPDATE … RETURNING`, `FOR UPDATE SKIP LOCKED`, advisory locks, deferred
 * foreign keys; the schema is SQL migrations anyway, so a builder's table types would be a second
 * description of it kept in step by hand or by a generator; and `pg` is one dependency to audit, not two.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Queryable } from './queryable.js';
import { projectRoot } from '../../paths.js';

/** Read from the sources (tsc does not copy .sql files into dist/). */
export const MIGRATIONS_DIR = path.join(projectRoot, 'service', 'adapters', 'postgres', 'migrations');

/** The session advisory lock every migrator takes (an arbitrary constant, 'SHMI'). */
export const MIGRATION_LOCK_KEY = 0x53484d49;

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: number;
  /** `0001_initial_schema`: the file name without `.sql`. */
  name: string;
  sql: string;
  /** sha256 (hex) of the file, line endings normalised (a CRLF checkout is the same migration). */
  checksum: string;
}

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  appliedAt: Date;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
  applied_at: Date;
}

const toApplied = (row: AppliedRow): AppliedMigration => ({ version: row.version, name: row.name, checksum: row.checksum, appliedAt: row.applied_at });

/** The migration set or the database is not what this version of Shomei can run on; nothing was changed. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** A migration's SQL failed; its transaction was rolled back (the ones before it stay applied). */
export class MigrationFailedError extends Error {
  override readonly name = 'MigrationFailedError';
  constructor(
    readonly migration: string,
    override readonly cause: Error,
  ) {
    super(`migration ${migration} failed and was rolled back: ${cause.message}`);
  }
}

const checksumOf = (sql: string): string => createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');

/**
 * The migrations in `dir`, by version. Every `.sql` file must be named `NNNN_name.sql` and the
 * versions must run 1, 2, 3… without a gap or a repeat (a typo must not skip a migration).
 */
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new MigrationError(`${file}: a migration file is named NNNN_lower_case_name.sql`);
    const sql = await readFile(path.join(dir, file), 'utf8');
    migrations.push({ version: Number(match[1]), name: file.slice(0, -'.sql'.length), sql, checksum: checksumOf(sql) });
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new MigrationError(`${m.name}: expected version ${String(i + 1).padStart(4, '0')} (versions run 0001, 0002, … without gaps or repeats)`);
  });
  return migrations;
}

async function appliedMigrations(db: Queryable): Promise<AppliedMigration[] | null> {
  const exists = await db.query<{ found: string | null }>(`SELECT to_regclass('schema_migrations')::text AS found`);
  if (!exists.rows[0]?.found) return null;
  const { rows } = await db.query<AppliedRow>('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version');
  return rows.map(toApplied);
}

export interface MigrationCheck {
  /** True when the database has exactly this version's migrations, unchanged. */
  ok: boolean;
  applied: string[];
  /** Not applied yet: run `npm run migrate`. */
  missing: string[];
  /** Applied, but the file differs from what was applied. */
  changed: string[];
  /** Applied, but unknown to this version (the database was migrated by a newer one). */
  unknown: string[];
  /** What an operator must do, or null when `ok`. */
  message: string | null;
}

function compare(migrations: Migration[], applied: AppliedMigration[]): MigrationCheck & { refusal: string | null } {
  const files = new Map(migrations.map((m) => [m.version, m]));
  const done = new Set(applied.map((a) => a.version));
  const changed = applied.filter((a) => files.has(a.version) && files.get(a.version)!.checksum !== a.checksum).map((a) => a.name);
  const unknown = applied.filter((a) => !files.has(a.version)).map((a) => a.name);
  const missing = migrations.filter((m) => !done.has(m.version)).map((m) => m.name);
  // What `migrate` cannot fix: it refuses these.
  const refusals = [
    changed.length ? `applied migrations whose files have changed since: ${changed.join(', ')} (restore those files; a change is a new migration)` : null,
    unknown.length ? `applied migrations this version of Shomei does not have: ${unknown.join(', ')} (the database was migrated by a newer version)` : null,
  ].filter((p): p is string => p !== null);
  const problems = [
    ...refusals,
    ...(missing.length ? [`migrations not applied yet: ${missing.join(', ')} (run \`npm run migrate\` with the same DATABASE_URL)`] : []),
  ];
  const sentence = (parts: string[]) => `The database schema does not match this version of Shomei: ${parts.join('; ')}.`;
  return {
    ok: problems.length === 0,
    applied: applied.map((a) => a.name),
    missing,
    changed,
    unknown,
    message: problems.length ? sentence(problems) : null,
    refusal: refusals.length ? sentence(refusals) : null,
  };
}

/** What the service calls at start: does the database have exactly this version's migrations? Changes nothing. */
export async function checkMigrations(pool: pg.Pool, migrations?: Migration[]): Promise<MigrationCheck> {
  const { refusal: _refusal, ...check } = compare(migrations ?? (await loadMigrations()), (await appliedMigrations(pool)) ?? []);
  return check;
}

export interface MigrateOptions {
  migrations?: Migration[];
  /** Progress lines for an operator. */
  log?: (line: string) => void;
}

export interface MigrateResult {
  /** Applied by this run, in order. */
  applied: string[];
  /** Applied before this run. */
  already: string[];
}

/**
 * Applies the pending migrations in order, each in its own transaction together with its row in
 * `schema_migrations`. Holds a session advisory lock throughout, so that instances started at
 * once migrate one after the other (the later ones find nothing to do). Refuses, changing
 * nothing, when an applied migration's file has changed or the database knows migrations this
 * version does not.
 */
export async function migrate(pool: pg.Pool, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = options.migrations ?? (await loadMigrations());
  const log = options.log ?? (() => {});
  const client = await pool.connect();
  let locked = false;
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY]);
    if (!rows[0]?.locked) {
      log('Another process is migrating this database; waiting for it to finish…');
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    }
    locked = true;
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version      integer PRIMARY KEY,
      name         text NOT NULL,
      checksum     text NOT NULL,
      applied_at   timestamptz NOT NULL DEFAULT now(),
      duration_ms  integer NOT NULL
    )`);
    const applied = (await appliedMigrations(client)) ?? [];
    const state = compare(migrations, applied);
    if (state.refusal) throw new MigrationError(state.refusal);

    const done = new Set(applied.map((a) => a.version));
    const result: MigrateResult = { applied: [], already: state.applied };
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      const started = Date.now();
      await client.query('BEGIN');
      try {
        // No parameters: the simple query protocol, which runs a file of several statements.
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)', [
          m.version,
          m.name,
          m.checksum,
          Date.now() - started,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new MigrationFailedError(m.name, err as Error);
      }
      log(`Applied ${m.name} (${Date.now() - started} ms)`);
      result.applied.push(m.name);
    }
    return result;
  } finally {
    // A connection whose unlock failed is closed rather than pooled: closing it releases the lock.
    const unlocked =
      !locked ||
      (await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).then(
        () => true,
        () => false,
      ));
    client.release(!unlocked);
  }
}
