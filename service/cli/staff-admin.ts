/**
 * The staff CLI: `npm run admin -- <command> [options]` (see README, "Staff console").
 * It may run while the service runs on the same data: the same database (DATABASE_URL), or the
 * same DATA_DIR, where staff users and the audit log are shared collections
 * (adapters/lowdb/shared-collection.ts). The service sees a new user, a disabled user or a new
 * password at that user's next request or login.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { systemClock, systemRandom } from '../domain/crypto.js';
import { createStaffAccounts, StaffAccountError, STAFF_PASSWORD_MIN_LENGTH, type StaffActor } from '../domain/staff/accounts.js';
import { DatabaseNotReadyError, describeStores, migrateToPostgres, openStaffAdminStores, type StoreConfig } from '../stores.js';

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  create-user --username NAME --role reviewer|administrator [--display-name "Name"] [--password-stdin]
      Creates a staff console user. Without --password-stdin a strong random password is
      generated and printed once. With it, the password (at least ${STAFF_PASSWORD_MIN_LENGTH} characters) is read from stdin.
  list-users
      Lists the staff users (name, role, state, last login).
  disable-user --username NAME
      Disables a user; the user's sessions end at their next request.
  reset-password --username NAME [--password-stdin]
      Sets a new password (generated and printed once, or read from stdin), enables the user
      and ends the user's sessions.
  migrate-to-postgres --data-dir DIR
      Copies everything in DIR into the empty, migrated PostgreSQL database at $DATABASE_URL
      (\`npm run migrate\` first) in one transaction, the keys the service generated there
      included, checks every collection (count and checksum) and commits only when all match.
      Stop the service on DIR first.

Options:
  --data-dir DIR   the service's DATA_DIR (default: $DATA_DIR, else ./data); not used when
                   DATABASE_URL is set: then the users are those of that PostgreSQL database
`;

class UsageError extends Error {}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One line: the trailing newline of `echo` or a here-string is not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      'display-name': { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command || command === 'help') {
    out.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);

  const dataDir = path.resolve(values['data-dir'] ?? env.DATA_DIR ?? './data');
  if (command === 'migrate-to-postgres') return migrateToPostgres({ dataDir, databaseUrl: env.DATABASE_URL, out, env });
  const databaseUrl = env.DATABASE_URL?.trim();
  const where: StoreConfig = {
    dataDir,
    database: databaseUrl ? { url: databaseUrl, poolMax: 2 } : null,
  };
  const location = describeStores(where);
  const random = systemRandom;
  const stores = await openStaffAdminStores(where, { random });
  try {
    const accounts = createStaffAccounts({ store: stores.staff, audit: stores.audit, clock: systemClock, random, throttles: stores.loginThrottles });
    const actor: StaffActor = { type: 'system', id: 'admin-cli', name: `admin CLI (${safeOsUser()})` };
    const need = (name: 'username' | 'role'): string => {
      const v = values[name];
      if (!v) throw new UsageError(`${command} needs --${name}`);
      return v;
    };
    const password = async (): Promise<{ value: string; generated: boolean }> =>
      values['password-stdin'] ? { value: await readStdin(), generated: false } : { value: accounts.generatePassword(), generated: true };

    switch (command) {
      case 'create-user': {
        const username = need('username');
        const role = need('role');
        const pw = await password();
        const user = await accounts.create({ username, role, displayName: values['display-name'], password: pw.value }, actor);
        out.write(`Created ${user.role} "${user.username}" (${user.displayName}) in ${location}.\n`);
        if (pw.generated) out.write(`Password (shown only now; pass it on securely): ${pw.value}\n`);
        return 0;
      }
      case 'list-users': {
        const list = await accounts.list();
        if (list.length === 0) {
          out.write(`No staff users in ${location}.\n`);
          return 0;
        }
        out.write(
          [
            'USERNAME\tROLE\tSTATE\tLAST LOGIN\tDISPLAY NAME',
            ...list.map((u) => `${u.username}\t${u.role}\t${u.disabled ? 'disabled' : 'active'}\t${u.lastLoginAt ?? '-'}\t${u.displayName}`),
          ].join('\n') + '\n',
        );
        return 0;
      }
      case 'disable-user': {
        const user = await accounts.disable(need('username'), actor);
        out.write(`Disabled "${user.username}"; their sessions end at their next request.\n`);
        return 0;
      }
      case 'reset-password': {
        const username = need('username');
        const pw = await password();
        const user = await accounts.resetPassword(username, pw.value, actor);
        out.write(`New password set for "${user.username}"; the user is enabled and their old sessions have ended.\n`);
        if (pw.generated) out.write(`Password (shown only now; pass it on securely): ${pw.value}\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    await stores.close();
  }
}

function safeOsUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

const isMain = !!process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof StaffAccountError || e instanceof DatabaseNotReadyError) {
        process.stderr.write(`Error: ${e.message}\n`);
        process.exit(1);
      }
      if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        process.stderr.write(`Error: ${(e as Error).message}\n\n${USAGE}`);
        process.exit(2);
      }
      process.stderr.write(`Error: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
