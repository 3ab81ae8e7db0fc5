import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openCertificatePdfArchive } from '../../service/adapters/files/certificate-pdfs.js';
import { loadOrCreateOfflineKey, OFFLINE_KEY_FILE } from '../../service/adapters/files/offline-key.js';
import { DurableFile } from '../../service/adapters/lowdb/durable-file.js';
import { loadSigningKeys, SIGNING_CERT_FILE, SIGNING_KEY_FILE } from '../../service/adapters/pdf/signing-keys.js';
import { loadOrCreateKeyPair } from '../../service/adapters/saml/keys.js';
import { loadConfig } from '../../service/config.js';

/**
 * The real file system, with every open/fsync/rename/link the service makes written down in
 * order: power loss cannot be staged in a test, but the order of these calls is what decides
 * whether a file survives it.
 */
const events = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const watched = (handle: FileHandle, file: string): FileHandle => {
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      await sync();
      events.push(`sync ${path.resolve(file)}`);
    };
    return handle;
  };
  const fs = {
    ...real,
    open: async (file: Parameters<typeof real.open>[0], ...rest: [string?, number?]) => watched(await real.open(file, ...rest), String(file)),
    rename: async (from: string, to: string) => {
      await real.rename(from, to);
      events.push(`place ${path.resolve(from)} ${path.resolve(to)}`);
    },
    link: async (from: string, to: string) => {
      await real.link(from, to);
      events.push(`place ${path.resolve(from)} ${path.resolve(to)}`);
    },
  };
  return { ...fs, default: fs };
});

/**
 * What went wrong in putting `file` in place, or null when it was done durably: its content was
 * fsynced under another name before that name became `file`, and its directory was fsynced after.
 */
function durabilityProblem(file: string): string | null {
  const target = path.resolve(file);
  const placed = events.findIndex((e) => e.startsWith('place ') && e.endsWith(` ${target}`));
  if (placed < 0) return `${path.basename(file)} was written in place, not under a temporary name`;
  const temp = events[placed]!.split(' ')[1]!;
  if (!events.slice(0, placed).includes(`sync ${temp}`)) return `${path.basename(file)} was renamed into place before its content was fsynced`;
  if (!events.slice(placed + 1).includes(`sync ${path.dirname(target)}`)) return `the directory of ${path.basename(file)} was not fsynced after the rename`;
  return null;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-durable-'));
  events.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('files that must survive a power loss are fsynced before and after they are renamed into place', () => {
  it('a certificate PDF', async () => {
    const archive = openCertificatePdfArchive(dir);
    const pdf = new TextEncoder().encode('%PDF-1.7\n% signed certificate\n');
    await archive.write('SHM-2026-ABCD-EFGH', pdf);
    expect(durabilityProblem(archive.fileOf('SHM-2026-ABCD-EFGH'))).toBeNull();
    expect(await archive.read('SHM-2026-ABCD-EFGH')).toEqual(pdf);
  });

  it('the generated PDF signing key and certificate', async () => {
    const loaded = await loadSigningKeys(loadConfig({ DATA_DIR: dir }), { commonName: 'Demo University', keySize: 2048 });
    expect(durabilityProblem(path.join(dir, SIGNING_CERT_FILE))).toBeNull();
    expect(durabilityProblem(path.join(dir, SIGNING_KEY_FILE))).toBeNull();
    expect(readFileSync(path.join(dir, SIGNING_KEY_FILE), 'utf8')).toBe(loaded!.keys.keyPem);
  });

  it('the generated SAML key pair', async () => {
    const pair = await loadOrCreateKeyPair(dir, 'sp', 'Shomei SP test');
    expect(durabilityProblem(path.join(dir, 'sp-cert.pem'))).toBeNull();
    expect(durabilityProblem(path.join(dir, 'sp-key.pem'))).toBeNull();
    expect(readFileSync(path.join(dir, 'sp-cert.pem'), 'utf8')).toBe(pair.cert);
  });

  it('the generated offline verification key (two starts at once still end with one key)', async () => {
    const [a, b] = await Promise.all([loadOrCreateOfflineKey(dir), loadOrCreateOfflineKey(dir)]);
    expect(durabilityProblem(path.join(dir, OFFLINE_KEY_FILE))).toBeNull();
    expect(a.keyId).toBe(b.keyId);
    expect((await loadOrCreateOfflineKey(dir)).keyId).toBe(a.keyId);
  });

  it('a lowdb data file', async () => {
    const file = path.join(dir, 'collection.json');
    await new DurableFile<{ n: number }>(file).write({ n: 1 });
    expect(durabilityProblem(file)).toBeNull();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ n: 1 });
  });
});
