import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSigningKeys } from '../../service/adapters/pdf/signing-keys.js';
import { loadCertificateTypes } from '../../service/adapters/files/certificate-types.js';
import type { ProfileInput } from '../../service/domain/institution/service.js';
import type { AppDeps } from '../../service/http/deps.js';
import { ApiClient, runStaffCli, type StaffData } from './staff.js';

/** A university that is not the demo's: what a real install enters in 大学情報. */
export const TEST_INSTITUTION: ProfileInput = {
  name: { ja: '北辰工業大学', en: 'Hokushin Institute of Technology' },
  shortName: { ja: '北辰工大', en: 'Hokushin Tech' },
  officer: { title: { ja: '学長', en: 'President' }, name: { ja: '森田 智子', en: 'Tomoko Morita' } },
  contact: {
    office: { ja: '学生支援課 証明書窓口', en: 'Student Support Office, Certificates' },
    phone: '011-555-0123',
    mail: 'shomei@hokushin-tech.example',
    hours: { ja: '平日 8:45〜17:15', en: 'Weekdays 8:45–17:15' },
    webUrl: 'https://www.hokushin-tech.example/students/certificates',
  },
  environments: [{ category: { ja: 'パソコン', en: 'PC' }, detail: { ja: 'Chrome、Edge', en: 'Chrome, Edge' } }],
};

/** A round red seal as SVG (rasterised at upload like any administrator's file). */
export const TEST_SEAL_SVG = new TextEncoder().encode(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><circle cx="50" cy="50" r="44" fill="none" stroke="#b0101a" stroke-width="7"/><circle cx="50" cy="50" r="16" fill="#b0101a"/></svg>',
);

/** CERT_SIGNING_KEY / CERT_SIGNING_CERT files naming `commonName` (the institution's English name by default). */
export async function signingKeyEnv(dir: string, commonName = TEST_INSTITUTION.name.en): Promise<{ CERT_SIGNING_KEY: string; CERT_SIGNING_CERT: string }> {
  const keys = await generateSigningKeys({ commonName, keySize: 2048 });
  const key = path.join(dir, 'university-signing-key.pem');
  const cert = path.join(dir, 'university-signing-cert.pem');
  writeFileSync(key, keys.keyPem, { mode: 0o600 });
  writeFileSync(cert, keys.certPem);
  return { CERT_SIGNING_KEY: key, CERT_SIGNING_CERT: cert };
}

const SETUP_ADMIN = { id: 'setup-admin', name: 'Setup administrator', role: 'administrator' as const };

/** Completes setup the way an administrator does in the console: profile, seal, the template's types. */
export async function completeSetup(deps: AppDeps, profile: ProfileInput = TEST_INSTITUTION): Promise<void> {
  await deps.institution.updateProfile(profile, SETUP_ADMIN);
  await deps.institution.uploadImage('seal', TEST_SEAL_SVG, SETUP_ADMIN);
  for (const type of await loadCertificateTypes()) await deps.certificates.store.types.put(type);
}

/**
 * The same setup over HTTP, for a service running as its own process: an administrator made with
 * the CLI on the service's data (its database, or its DATA_DIR) signs in to the console API and
 * enters the profile, the seal and the template's types.
 */
export async function completeSetupOverHttp(baseUrl: string, data: StaffData, profile: ProfileInput = TEST_INSTITUTION): Promise<void> {
  const username = 'setup-admin';
  const password = 'setup-admin-password-1';
  const created = await runStaffCli(['create-user', '--username', username, '--role', 'administrator', '--display-name', 'Setup', '--password-stdin'], {
    ...data,
    stdin: `${password}\n`,
  });
  if (created.code !== 0) throw new Error(`staff CLI failed: ${created.stderr}`);
  const api = new ApiClient(baseUrl);
  const expectOk = (what: string, answer: { status: number; body: unknown }) => {
    if (answer.status !== 200) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  };
  expectOk('staff login', await api.staffLogin(username, password));
  expectOk('profile', await api.call('PUT', '/api/admin/institution', { body: profile }));
  expectOk('seal', await api.call('PUT', '/api/admin/institution/seal', { raw: { bytes: TEST_SEAL_SVG, type: 'image/svg+xml' } }));
  for (const type of await loadCertificateTypes())
    expectOk(`type ${type.code}`, await api.call('PUT', `/api/admin/certificate-types/${type.code}`, { body: type }));
  await api.post('/api/admin/logout');
}
