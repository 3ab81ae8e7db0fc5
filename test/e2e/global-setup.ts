import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selfSigned } from '../support/keys.js';
import { startSimpleSamlPhp } from '../support/simplesamlphp.js';
import { startSmtpServer } from '../support/smtp-server.js';
import { SSP_USERS } from './users.js';
import { freePort } from '../support/ports.js';
import { startBuiltService, stopBuiltService } from '../support/built-service.js';
import { completeSetupOverHttp, signingKeyEnv } from '../support/institution.js';
import { startPostgres } from '../support/postgres.js';

const root = path.resolve(import.meta.dirname, '../..');

/** `npm run migrate` as an operator runs it before starting the service: the BUILT migration tool on DATABASE_URL. */
async function migrateBuilt(databaseUrl: string): Promise<void> {
  const child = spawn(process.execPath, [path.join(root, 'dist/service/adapters/postgres/migrate-cli.js')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`npm run migrate failed (${code}):\n${output}`);
}

/**
 * Starts, for the whole run: a real SMTP server, a real SimpleSAMLphp IdP that knows our SP, a
 * real PostgreSQL server, the service configured against all three (DATABASE_URL, as a
 * production install runs), and a second service in demo mode on lowdb files in its DATA_DIR (the
 * embedded default, `npm start`'s path). Tests find them through E2E_* environment variables.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'shomei-e2e-'));
  // What has been started, stopped last-first at the end of the run or when setup fails half-way.
  const started: (() => Promise<void>)[] = [async () => rmSync(work, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const stop of started.reverse()) await stop().catch((err: unknown) => console.error('e2e teardown:', err));
  };

  try {
    const [realPort, demoPort] = [await freePort(), await freePort()];
    const realUrl = `http://127.0.0.1:${realPort}`;

    // Our SP key pair exists before either side starts: the IdP must know our certificate.
    const pems = await selfSigned('127.0.0.1');
    const spKey = path.join(work, 'sp-key.pem');
    const spCert = path.join(work, 'sp-cert.pem');
    writeFileSync(spKey, pems.key, { mode: 0o600 });
    writeFileSync(spCert, pems.cert);

    const smtp = await startSmtpServer({ user: 'relay-user', pass: 'relay-pass' });
    started.push(() => smtp.stop());
    const idp = await startSimpleSamlPhp({
      users: SSP_USERS,
      sp: {
        entityId: `${realUrl}/saml/metadata`,
        acsUrl: `${realUrl}/saml/acs`,
        sloUrl: `${realUrl}/saml/logout`,
        certPem: pems.cert,
      },
    });
    started.push(() => idp.stop());
    const postgres = await startPostgres();
    started.push(() => postgres.stop());
    const databaseUrl = await postgres.createDatabase('shomei');
    await migrateBuilt(databaseUrl);

    const real = await startBuiltService({
      PORT: String(realPort),
      PUBLIC_URL: realUrl,
      DATABASE_URL: databaseUrl,
      // With DATABASE_URL nothing of the service's records is written here; no test reads it.
      DATA_DIR: path.join(work, 'data-real'),
      SAML_IDP_METADATA: idp.metadataUrl,
      SAML_SP_KEY: spKey,
      SAML_SP_CERT: spCert,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'certificates@e2e.example.ac.jp',
      // Every browser of the run signs in from this one address (the limit itself: anonymous-visitors.test.ts).
      SAML_LOGIN_LIMIT: '1000',
      ...(await signingKeyEnv(work)),
    });
    started.push(() => stopBuiltService(real));
    // The production-like service is set up as an administrator would (the setup e2e test starts its own fresh one).
    await completeSetupOverHttp(realUrl, { databaseUrl });
    const demo = await startBuiltService({
      PORT: String(demoPort),
      DATA_DIR: path.join(work, 'data-demo'),
      // On lowdb whatever the environment of the run says.
      DATABASE_URL: '',
      SAML_LOGIN_LIMIT: '1000',
    });
    started.push(() => stopBuiltService(demo));

    process.env.E2E_REAL_URL = realUrl;
    process.env.E2E_DEMO_URL = `http://localhost:${demoPort}`;
    process.env.E2E_IDP_URL = idp.baseUrl;
    process.env.E2E_SMTP_DIR = smtp.dir;
    // Staff console logins: `npm run admin` on the production-like service's database, or the demo
    // service's DATA_DIR/demo-staff-credentials.txt.
    process.env.E2E_REAL_DATABASE_URL = databaseUrl;
    process.env.E2E_DEMO_DATA_DIR = path.join(work, 'data-demo');
  } catch (err) {
    await stopAll();
    throw err;
  }
  return stopAll;
}
