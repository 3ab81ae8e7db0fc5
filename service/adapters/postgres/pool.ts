import pg from 'pg';

/** PostgreSQL's type OID of `date`. */
const DATE_OID = 1082;

export interface PoolOptions {
  /** Connections this process may hold at most (pg's default: 10). */
  max?: number;
  /** Names the connections in pg_stat_activity. */
  applicationName?: string;
  /** Where an idle connection's failure (e.g. the server restarting) is reported. Default: console.error. */
  onIdleError?: (err: Error) => void;
}

/**
 * A connection pool for `databaseUrl` (postgres://user:password@host:port/database). Calendar
 * dates come back as the domain keeps them ('YYYY-MM-DD' strings), not as local-midnight Dates.
 */
export function createPool(databaseUrl: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max,
    application_name: options.applicationName ?? 'shomei',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that breaks emits 'error' on the pool; unhandled, it would end the process.
  pool.on('error', options.onIdleError ?? ((err) => console.error('Shomei PostgreSQL: an idle connection failed:', err.message)));
  return pool;
}

/** The URL without its password, for messages. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(not a URL)';
  }
}

/** A connection failure's reason (Node reports a refused connection to several addresses as an AggregateError without a message). */
export function reasonOf(e: unknown): string {
  if (e instanceof AggregateError && !e.message) return e.errors.map(reasonOf).join('; ');
  const { message, code } = e as { message?: string; code?: string };
  return message || code || String(e);
}
