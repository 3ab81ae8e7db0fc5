/**
 * The keys a service on lowdb generated into DATA_DIR, moved into `service_keys` where the service
 * on PostgreSQL takes them from: under the names its loaders ask for, in the form they store, so
 * the IdP keeps trusting the SP certificate and the QR codes already printed still verify. Each
 * key is read by the service's own loader from the files and again from the database; the two
 * must be the same key.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadOrCreateOfflineKey, OFFLINE_KEY_FILE } from '../files/offline-key.js';
import { loadSigningKeys, SIGNING_CERT_FILE, SIGNING_KEY_FILE } from '../pdf/signing-keys.js';
import { openPostgresSharedKeys } from '../postgres/service-keys.js';
import type { Queryable } from '../postgres/queryable.js';
import { loadOrCreateKeyPair } from '../saml/keys.js';
import { loadOrCreateTsaKeys, TSA_CERT_FILE, TSA_KEY_FILE } from '../tsa/local-tsa.js';
import type { SharedKeyStore } from '../../domain/stores.js';
import { compareCollection, type CollectionResult } from './checksums.js';

interface GeneratedKey {
  /** The row in service_keys the service's loader reads. */
  name: string;
  label: string;
  files: string[];
  /** The key as the service loads it (from DATA_DIR when `shared` is null), as the material it stores. */
  load(dataDir: string, shared: SharedKeyStore | null): Promise<string>;
}

/** Keys are only read here (a loader is called once its files exist): the name a new key would carry never matters. */
const noCommonName = '';

const GENERATED_KEYS: GeneratedKey[] = [
  {
    name: 'sp-key-pair',
    label: 'SAML SP key pair (the IdP knows this certificate)',
    files: ['sp-key.pem', 'sp-cert.pem'],
    load: async (dir, shared) => JSON.stringify(await loadOrCreateKeyPair(dir, 'sp', noCommonName, shared)),
  },
  {
    name: 'offline-verification-key',
    label: 'offline verification key (signed the QR payloads issued so far)',
    files: [OFFLINE_KEY_FILE],
    load: async (dir, shared) => (await loadOrCreateOfflineKey(dir, shared)).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
  },
  {
    name: 'demo-signing-keys',
    label: 'PDF signing key generated in demo mode',
    files: [SIGNING_KEY_FILE, SIGNING_CERT_FILE],
    load: async (dir, shared) => {
      const loaded = await loadSigningKeys(
        { dataDir: dir, certificates: { signingKeyFile: null, signingCertFile: null, timestampUrl: null, timestampCaFile: null } },
        { commonName: noCommonName },
        shared,
      );
      return JSON.stringify(loaded!.keys);
    },
  },
  {
    name: 'demo-tsa-keys',
    label: 'time-stamping key pair generated in demo mode',
    files: [TSA_KEY_FILE, TSA_CERT_FILE],
    load: async (dir, shared) => JSON.stringify(await loadOrCreateTsaKeys(dir, shared, { commonName: noCommonName, now: new Date(0) })),
  },
  {
    name: 'demo-idp-key-pair',
    label: 'demo IdP key pair',
    files: ['demo-idp-key.pem', 'demo-idp-cert.pem'],
    load: async (dir, shared) => JSON.stringify(await loadOrCreateKeyPair(dir, 'demo-idp', noCommonName, shared)),
  },
];

export interface FoundKey {
  key: GeneratedKey;
  material: string;
}

/**
 * Every generated key DATA_DIR holds, read and checked by the service's loaders. Throws (naming
 * the files) when a key is there only in part or unreadable: the service would not start on it.
 */
export async function readGeneratedKeys(dataDir: string): Promise<FoundKey[]> {
  const found: FoundKey[] = [];
  for (const key of GENERATED_KEYS) {
    const present = key.files.filter((f) => existsSync(path.join(dataDir, f)));
    if (present.length === 0) continue;
    if (present.length < key.files.length) {
      const missing = key.files.filter((f) => !present.includes(f));
      throw new Error(
        `${missing.join(', ')} is missing while ${present.join(', ')} exists in ${dataDir}: restore it (the ${key.label} cannot be moved in part).`,
      );
    }
    try {
      found.push({ key, material: await key.load(dataDir, null) });
    } catch (e) {
      throw new Error(`The ${key.label} in ${key.files.join(', ')} cannot be read: ${(e as Error).message}`, { cause: e });
    }
  }
  return found;
}

/** Inserts the keys into service_keys and reads each back through the service's loader: the checksum line. */
export async function copyGeneratedKeys(db: Queryable, keys: FoundKey[]): Promise<CollectionResult> {
  for (const { key, material } of keys) await db.query('INSERT INTO service_keys (name, material) VALUES ($1, $2)', [key.name, material]);
  const stored = openPostgresSharedKeys(db);
  // Never generates: a key the copy did not store is a mismatch, not a new key.
  const readOnly: SharedKeyStore = {
    getOrCreate: (name) =>
      stored.getOrCreate(name, () => {
        throw new Error(`${name} is not in service_keys`);
      }),
  };
  const source = new Map(keys.map(({ key, material }) => [key.name, material]));
  const copied = new Map<string, string>();
  const problems: string[] = [];
  for (const { key } of keys) {
    try {
      copied.set(key.name, await key.load('', readOnly));
    } catch (e) {
      problems.push(`${key.name}: ${(e as Error).message}`);
    }
  }
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM service_keys');
  return compareCollection('service keys', source, copied, rows[0]!.n, problems);
}

/** What the operator reads after the commit: the keys now in the database, and the files still to give every instance. */
export function keyAdvice(moved: FoundKey[], env: Record<string, string | undefined>): string[] {
  const lines: string[] = [];
  if (moved.length > 0) {
    lines.push('', 'Keys moved into the database (service_keys), used by every instance from now on:');
    for (const { key } of moved) lines.push(`- ${key.label}: ${key.files.join(', ')} → ${key.name}`);
  }
  const setHere = (...names: string[]) => {
    const set = names.filter((n) => env[n]);
    return set.length ? ` (set here: ${set.map((n) => `${n}=${env[n]}`).join(', ')})` : '';
  };
  lines.push(
    '',
    'Configured files stay files: give every instance the same ones, kept as secret as the keys they are:',
    `- SAML_SP_KEY, SAML_SP_CERT when the SP key pair is configured rather than generated${setHere('SAML_SP_KEY', 'SAML_SP_CERT')}.`,
    `- CERT_SIGNING_KEY, CERT_SIGNING_CERT: the university's PDF signing key and certificate (required outside demo mode)${setHere('CERT_SIGNING_KEY', 'CERT_SIGNING_CERT')}.`,
    `- SAML_IDP_METADATA: the IdP's metadata${setHere('SAML_IDP_METADATA')}.`,
  );
  return lines;
}
