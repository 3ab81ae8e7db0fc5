/**
 * A real PostgreSQL server for a test file: Debian's `postgresql` package (README, "The two
 * commands"; `.ci/run` installs it), `initdb` in a temporary directory, `pg_ctl` on a free port of
 * 127.0.0.1, removed again by `stop()`.
 *
 * One cluster per test file, started in `beforeAll` and stopped in `afterAll` (which vitest runs
 * also when tests fail), rather than one for the whole run in a vitest globalSetup: integration
 * files run one at a time anyway, so it costs one `initdb` per file that asks for it (about a
 * second, with fsync off) and nothing for the runs that do not; and no file sees what another
 * left behind in the server (connections, locks, databases).
 *
 * PostgreSQL refuses to run as root: when the tests run as root (CI does), initdb and pg_ctl run as
 * the `postgres` system user that the Debian package creates, in a directory handed to it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './ports.js';

export interface PostgresCluster {
  /** postgres://… of the empty database created for this test file. */
  readonly url: string;
  readonly port: number;
  /** Creates another empty database and returns its URL (e.g. a fresh one per test). */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server at once and removes its files; safe to call twice. */
  stop(): Promise<void>;
}

const SUPERUSER = 'shomei';
const INSTALL_HINT = 'install Debian\'s PostgreSQL server: apt-get install -y postgresql (README, "The two commands")';

/** The directory of initdb and pg_ctl: `pg_config --bindir`, else the newest /usr/lib/postgresql/N/bin. */
export function postgresBinDir(): string {
  const hasServer = (dir: string) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'));
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (fromConfig.status === 0 && hasServer(fromConfig.stdout.trim())) return fromConfig.stdout.trim();
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? spawnSync('ls', [root], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) if (hasServer(path.join(root, v, 'bin'))) return path.join(root, v, 'bin');
  throw new Error(`PostgreSQL server binaries (initdb, pg_ctl) not found: ${INSTALL_HINT}.`);
}

interface RunAs {
  /** Set when the commands run as the `postgres` system user (we are root). */
  owner: { uid: number; gid: number } | null;
}

function runAsOf(): RunAs {
  if (process.getuid?.() !== 0) return { owner: null };
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(`PostgreSQL cannot run as root and there is no "postgres" system user to run it as: ${INSTALL_HINT}.`);
  }
  return { owner: { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } };
}

/** Runs a PostgreSQL program (as the postgres user when we are root); rejects with its output on failure. */
function run(runAs: RunAs, program: string, args: string[], cwd: string): Promise<string> {
  const [cmd, argv] = runAs.owner ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${path.basename(program)} ${args.join(' ')} failed (${code}):\n${output}`))));
  });
}

let databases = 0;

export interface StartPostgresOptions {
  /**
   * Keep PostgreSQL's defaults for durability (fsync, synchronous commit, full pages) and memory,
   * as a production server has them: for measurements (`npm run bench`), not for tests.
   */
  durable?: boolean;
}

/** Starts a fresh PostgreSQL server with one empty database (`url`). */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const runAs = runAsOf();
  const base = await mkdtemp(path.join(os.tmpdir(), 'shomei-pg-'));
  const data = path.join(base, 'data');
  const sockets = path.join(base, 'sockets');
  const log = path.join(base, 'server.log');
  const password = randomBytes(18).toString('base64url');
  const pgCtl = path.join(bin, 'pg_ctl');

  let running = false;
  let stopped = false;
  // Should the test process end without afterAll (a crash), the server must not outlive it.
  const stopNow = () => {
    if (running)
      spawnSync(runAs.owner ? 'runuser' : pgCtl, [...(runAs.owner ? ['-u', 'postgres', '--', pgCtl] : []), '-D', data, '-m', 'immediate', '-w', 'stop'], {
        cwd: base,
        stdio: 'ignore',
      });
    running = false;
    rmSync(base, { recursive: true, force: true });
  };
  process.once('exit', stopNow);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stopNow);
    try {
      if (running) await run(runAs, pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'], base);
      running = false;
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  };

  try {
    await mkdir(sockets);
    const pwfile = path.join(base, 'pwfile');
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (runAs.owner) for (const p of [base, sockets, pwfile]) await chown(p, runAs.owner.uid, runAs.owner.gid);
    await run(
      runAs,
      path.join(bin, 'initdb'),
      [
        '-D',
        data,
        '-U',
        SUPERUSER,
        `--pwfile=${pwfile}`,
        '-A',
        'scram-sha-256',
        '--auth-local=trust',
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
        '--no-sync',
        '--no-instructions',
      ],
      base,
    );
    await rm(pwfile);
    // Tests need speed, not durability: nothing here must survive a crash of the machine.
    const fast = ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off', 'shared_buffers = 16MB'];
    await appendFile(
      path.join(data, 'postgresql.conf'),
      ["listen_addresses = '127.0.0.1'", `unix_socket_directories = '${sockets}'`, ...(options.durable ? [] : fast), 'max_connections = 100', ''].join('\n'),
    );

    // The port was free a moment ago; another process may take it before the server binds it.
    let port = 0;
    for (let attempt = 1; !running; attempt++) {
      port = await freePort();
      try {
        await run(runAs, pgCtl, ['-D', data, '-l', log, '-o', `-p ${port}`, '-w', '-t', '60', 'start'], base);
        running = true;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }

    const urlOf = (database: string) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
    const createDatabase = async (name = `test_${++databases}`) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RangeError(`not a plain database name: ${name}`);
      const client = new pg.Client({ connectionString: urlOf('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return urlOf(name);
    };
    return { url: await createDatabase(), port, createDatabase, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** Creates database `name` on the cluster as a copy of `template`; returns its URL. */
export async function copyDatabase(clusterUrl: string, template: string, name: string): Promise<string> {
  const admin = new URL(clusterUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await client.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
