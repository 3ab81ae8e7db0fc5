// npm run test:postgres: the HTTP integration suites again, each service on a fresh migrated
// PostgreSQL database (SHOMEI_TEST_DATABASE=postgres, test/support/service-database.ts) instead of
// lowdb files. `npm test` runs it beside the main vitest run.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The suites that run on PostgreSQL. Not (yet) here: the ones that place certificate orders
 * (admin-certificate-catalogue, admin-certificates, certificates-campus, certificates-flow,
 * certificates-orders, store-simulator, terminals). Order placement writes each PDF and the
 * certificates before their order, which PostgreSQL's foreign keys accept only inside one
 * transaction (they are checked at commit); they join this list when placement runs as one
 * unit of work. certificates-flow also builds its own order service over lowdb files.
 */
export const POSTGRES_SUITES = [
  'test/integration/admin-console.test.ts',
  'test/integration/anonymous-visitors.test.ts',
  'test/integration/applications-lifecycle.test.ts',
  'test/integration/demo-idp.test.ts',
  'test/integration/graduates-access.test.ts',
  'test/integration/host-cookies.test.ts',
  'test/integration/institution-setup.test.ts',
  'test/integration/public-host.test.ts',
  'test/integration/saml-simplesamlphp.test.ts',
  'test/integration/verify-http.test.ts',
];

const isMain = !!process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const child = spawn('npx', ['vitest', 'run', '--project', 'integration', ...POSTGRES_SUITES, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SHOMEI_TEST_DATABASE: 'postgres' },
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
