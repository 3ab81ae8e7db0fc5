// npm run test:postgres: the HTTP integration suites again, each service on a fresh migrated
// PostgreSQL database (SHOMEI_TEST_DATABASE=postgres, test/support/service-database.ts) instead of
// lowdb files. `npm test` runs it beside the main vitest run.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The HTTP suites that run again on PostgreSQL. Not here: store-print-crash (a crash between the
 * lowdb files) and the suites that choose their databases themselves (migrate-to-postgres,
 * postgres-service, two-instances).
 */
export const POSTGRES_SUITES = [
  'test/integration/admin-certificate-catalogue.test.ts',
  'test/integration/admin-certificates.test.ts',
  'test/integration/admin-console.test.ts',
  'test/integration/admin-mail.test.ts',
  'test/integration/anonymous-visitors.test.ts',
  'test/integration/applications-lifecycle.test.ts',
  'test/integration/certificates-campus.test.ts',
  'test/integration/certificates-flow.test.ts',
  'test/integration/certificates-orders.test.ts',
  'test/integration/demo-idp.test.ts',
  'test/integration/graduates-access.test.ts',
  'test/integration/pdf-delivery.test.ts',
  'test/integration/host-cookies.test.ts',
  'test/integration/institution-setup.test.ts',
  'test/integration/public-host.test.ts',
  'test/integration/registry-import.test.ts',
  'test/integration/saml-simplesamlphp.test.ts',
  'test/integration/share-links.test.ts',
  'test/integration/store-simulator.test.ts',
  'test/integration/terminals.test.ts',
  'test/integration/tsa-http.test.ts',
  'test/integration/verifiable-credentials.test.ts',
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
