/**
 * npm run bench saml-acs — the SAML ACS and what a sign-in writes:
 *
 * - verifying a valid signed login response as the service does it (structure, the SAML 2.0
 *   schemas compiled once, each signature checked once, our checks), beside samlify parsing the
 *   same response with no schema validation at all, in interleaved rounds of one process;
 * - durable writes (files fsynced) of a returning student's whole sign-in through the demo IdP,
 *   and of a staff login, on an in-process service over lowdb.
 *
 * Prints a markdown table and writes it to bench/results.md under its own heading. Asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IdentityProvider as SamlifyIdp, ServiceProvider as SamlifySp, setSchemaValidator } from 'samlify';
import { onDurableWrite } from '../service/adapters/files/durable-write.js';
import { loadOrCreateKeyPair } from '../service/adapters/saml/keys.js';
import { createSamlIdentityProvider } from '../service/adapters/saml/samlify-idp.js';
import { certBody } from '../service/adapters/saml/xml.js';
import { loadConfig } from '../service/config.js';
import { createDemoIdp, demoLoginResponse } from '../service/demo/demo-idp.js';
import { HttpBrowser, parseForms } from '../test/support/http-browser.js';
import { startService } from '../test/support/service.js';
import { ApiClient, readDemoStaffCredentials } from '../test/support/staff.js';
import { measure } from './measure.js';
import { writeSection } from './results.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// --- ACS: ours beside samlify without schema validation -------------------------------------
const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-bench-saml-'));
const config = loadConfig({ DATA_DIR: dir, PUBLIC_URL: 'https://shomei.example.ac.jp', LOG_LEVEL: 'silent' });
const idp = await createDemoIdp(config);
const spKeys = await loadOrCreateKeyPair(dir, 'sp', 'sp');
const ours = createSamlIdentityProvider({ config, spKey: spKeys.key, spCert: spKeys.cert, idpMetadataXml: idp.metadataXml, clock: { now: () => new Date() } });
const response = Buffer.from(demoLoginResponse(idp, idp.users[0]!, `_${'0'.repeat(64)}`, new Date())).toString('base64');

// The baseline: samlify with its schema validation switched off (nothing in the service does this).
setSchemaValidator({ validate: async () => 'skipped' });
const samlifySp = SamlifySp({
  entityID: config.saml.entityId,
  assertionConsumerService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', Location: config.saml.acsUrl }],
});
const samlifyIdp = SamlifyIdp({
  entityID: idp.entityId,
  signingCert: certBody(idp.keys.cert),
  singleSignOnService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: idp.ssoUrl }],
});

const oursP50: number[] = [];
const samlifyP50: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  oursP50.push((await measure('ours', RUNS, () => ours.verifyLoginResponse(response))).p50ms);
  samlifyP50.push((await measure('samlify', RUNS, () => samlifySp.parseLoginResponse(samlifyIdp, 'post', { body: { SAMLResponse: response } }))).p50ms);
}
rmSync(dir, { recursive: true, force: true });

// --- Durable writes per sign-in ---------------------------------------------------------------
const svc = await startService({});
const writesDuring = async (work: () => Promise<unknown>): Promise<string[]> => {
  const files: string[] = [];
  const stop = onDurableWrite((file) => {
    if (file.startsWith(path.resolve(svc.dataDir) + path.sep)) files.push(path.basename(file));
  });
  try {
    await work();
  } finally {
    stop();
  }
  return files;
};
const studentSignIn = async () => {
  const browser = new HttpBrowser();
  const idpPage = await browser.get(`${svc.url}/saml/login?returnTo=/home`);
  const index = parseForms(idpPage.body, idpPage.url).findIndex((f) => f.fields.user === '1');
  const autopost = await browser.submit(idpPage, {}, index);
  await browser.submit(autopost, {}, 0, { stopAt: (u) => ['/home', '/mail/register', '/login'].includes(new URL(u).pathname) });
};
await studentSignIn(); // the account exists from now on: the next sign-ins are a returning student's
const studentCounts: number[] = [];
for (let i = 0; i < 3; i += 1) studentCounts.push((await writesDuring(studentSignIn)).length);
const studentWrites = median(studentCounts);
const demoStaff = readDemoStaffCredentials(svc.dataDir);
const staffFiles = await writesDuring(async () => {
  const answer = await new ApiClient(svc.url).staffLogin('admin', demoStaff.admin!.password);
  if (answer.status !== 200) throw new Error(`staff login answered ${answer.status}`);
});
await svc.stop();

// --- Table -------------------------------------------------------------------------------------
const ms = (x: number) => `${x.toFixed(1)} ms`;
const acsOurs = median(oursP50);
const acsBaseline = median(samlifyP50);
const ratio = acsOurs / acsBaseline;
const rows = [
  '| figure | ours | baseline | ratio | goal | met? |',
  '|---|---|---|---|---|---|',
  `| SAML ACS: verify a valid signed response, p50 (full schema validation) | ${ms(acsOurs)} | ${ms(acsBaseline)} (samlify, no schema validation) | ${ratio.toFixed(2)} × | ≤ 10 ms p50 (the baseline measured 9 ms outside) | ${acsOurs <= 10 ? 'yes' : ratio <= 10 / 9 ? 'yes, as a ratio (this machine is slower)' : 'no'} |`,
  `| durable writes per sign-in, returning student (ACS → hand-off → session) | ${studentWrites} | 6 before this change (9 in the issue) | — | ≤ 3 | ${studentWrites <= 3 ? 'yes' : 'no'} |`,
  `| durable writes per staff login (one transaction: ${staffFiles.join(', ')}) | ${staffFiles.length} | 4 before the login time came from the audit log (staff-users.json written too) | — | ≤ 3 | ${staffFiles.length <= 3 ? 'yes' : 'no'} |`,
];
const table = [
  `Medians of ${ROUNDS} interleaved rounds of ${RUNS} runs (p50 of each round), one process; durable writes counted at service/adapters/files/durable-write.ts (one per file fsynced, the transaction journal included).`,
  '',
  ...rows,
].join('\n');
console.log(`\n${table}\n`);
writeSection('SAML ACS and sign-in writes', table);
