import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { startSimpleSamlPhp } from '../support/simplesamlphp.js';
import { startSmtpServer } from '../support/smtp-server.js';
import { SSP_USERS } from './users.js';
import { freePort } from '../support/ports.js';
import { startBuiltService } from '../support/built-service.js';
import { completeSetupOverHttp, signingKeyEnv } from '../support/institution.js';

/**
 * Starts, for the whole run: a real SMTP server, a real SimpleSAMLphp IdP that knows our SP,
 * the service configured against both, and a second service in demo mode (demo IdP, dev mailbox).
 * Tests find them through E2E_* environment variables.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'shomei-e2e-'));
  const [realPort, demoPort] = [await freePort(), await freePort()];
  const realUrl = `http://127.0.0.1:${realPort}`;

  // Our SP key pair exists before either side starts: the IdP must know our certificate.
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], { keySize: 2048, algorithm: 'sha256' });
  const spKey = path.join(work, 'sp-key.pem');
  const spCert = path.join(work, 'sp-cert.pem');
  writeFileSync(spKey, pems.private, { mode: 0o600 });
  writeFileSync(spCert, pems.cert);

  const smtp = await startSmtpServer({ user: 'relay-user', pass: 'relay-pass' });
  const idp = await startSimpleSamlPhp({
    users: SSP_USERS,
    sp: {
      entityId: `${realUrl}/saml/metadata`,
      acsUrl: `${realUrl}/saml/acs`,
      sloUrl: `${realUrl}/saml/logout`,
      certPem: pems.cert,
    },
  });
  const real = await startBuiltService({
    PORT: String(realPort),
    PUBLIC_URL: realUrl,
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
  // The production-like service is set up as an administrator would (the setup e2e test starts its own fresh one).
  await completeSetupOverHttp(realUrl, path.join(work, 'data-real'));
  const demo = await startBuiltService({
    PORT: String(demoPort),
    DATA_DIR: path.join(work, 'data-demo'),
    SAML_LOGIN_LIMIT: '1000',
  });

  process.env.E2E_REAL_URL = realUrl;
  process.env.E2E_DEMO_URL = `http://localhost:${demoPort}`;
  process.env.E2E_IDP_URL = idp.baseUrl;
  process.env.E2E_SMTP_DIR = smtp.dir;
  // Staff console logins: the demo service's DATA_DIR/demo-staff-credentials.txt, or `npm run admin` on either data directory.
  process.env.E2E_REAL_DATA_DIR = path.join(work, 'data-real');
  process.env.E2E_DEMO_DATA_DIR = path.join(work, 'data-demo');

  return async () => {
    for (const child of [real, demo]) child.kill('SIGTERM');
    await idp.stop();
    await smtp.stop();
    rmSync(work, { recursive: true, force: true });
  };
}
