/**
 * `npm run migrate`, the PostgreSQL adapter's own operator tool: applies the schema migrations to
 * the database at DATABASE_URL. Safe to run from several machines at once, and again: a database
 * that is up to date is left as it is.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, MigrationError, MigrationFailedError } from './migrate.js';
import { createPool, describeDatabaseUrl, reasonOf } from './pool.js';

/** Exit codes: 0 migrated or up to date, 1 refused or failed, 2 not configured. */
export async function main(env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const url = env.DATABASE_URL?.trim();
  if (!url) {
    err.write(
      'DATABASE_URL is not set. `npm run migrate` creates and updates the PostgreSQL schema of the database it names, e.g.\n' +
        '  DATABASE_URL=postgres://shomei:PASSWORD@db.example.ac.jp:5432/shomei npm run migrate\n',
    );
    return 2;
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    err.write(`DATABASE_URL must be a postgres:// URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE); it is ${describeDatabaseUrl(url)}.\n`);
    return 2;
  }
  const where = describeDatabaseUrl(url);
  const pool = createPool(url, { max: 1, applicationName: 'shomei-migrate' });
  try {
    const result = await migrate(pool, { log: (line) => out.write(`${line}\n`) });
    const total = result.applied.length + result.already.length;
    out.write(
      result.applied.length === 0
        ? `${where} is up to date: all ${total} migrations were applied before.\n`
        : `${where} is up to date: ${result.applied.length} migration(s) applied now, ${result.already.length} before.\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof MigrationError) err.write(`Migration refused, nothing was changed. ${e.message}\n`);
    else if (e instanceof MigrationFailedError)
      err.write(`Migration ${e.migration} failed and was rolled back (earlier ones stay applied): ${e.cause.message}\n`);
    else err.write(`Cannot migrate ${where}: ${reasonOf(e)}. Is the server running and DATABASE_URL right?\n`);
    return 1;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

const isMain = !!process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  main(process.env, process.stdout, process.stderr).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`Error: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
