/**
 * What only the lowdb Store does: files on disk, durable writes, its prune timer. What the Store
 * port promises is tested against every adapter family in test/integration/store-contract.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataFileError, DurableFile } from '../../service/adapters/lowdb/durable-file.js';
import { openLowdbStore, type LowdbStore, type LowdbStoreOptions } from '../../service/adapters/lowdb/store.js';
import { account, at, session, token } from '../support/store-records.js';

const dirs: string[] = [];
const stores: LowdbStore[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-store-'));
  dirs.push(dir);
  return dir;
}
async function open(dir = tempDir(), options: LowdbStoreOptions = {}): Promise<LowdbStore> {
  const store = await openLowdbStore(dir, { pruneIntervalMs: 0, ...options });
  stores.push(store);
  return store;
}
/** Identity of the file on disk: every durable write replaces it (new inode). */
const inode = (file: string) => statSync(file).ino;

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('lowdb store: accounts', () => {
  it('keeps accounts across a reopen, in accounts.json', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const a = account();
    await store.accounts.insert(a);
    await store.close();
    const again = await open(dir);
    expect(await again.accounts.findByIdentity(a.idpEntityId, a.userId)).toEqual(a);
    expect(JSON.parse(readFileSync(path.join(dir, 'accounts.json'), 'utf8'))).toEqual({ version: 1, records: [a] });
  });

  it('does not write when an update changes nothing', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const a = account();
    await store.accounts.insert(a);
    const before = inode(path.join(dir, 'accounts.json'));
    await store.accounts.update(a.id, { language: a.language, studentIds: [...a.studentIds] });
    expect(inode(path.join(dir, 'accounts.json'))).toBe(before);
    await store.accounts.update(a.id, { language: 'en' });
    expect(inode(path.join(dir, 'accounts.json'))).not.toBe(before);
  });
});

describe('lowdb store: sessions', () => {
  it('does not write when the same session is put again or an unknown one is deleted', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const s = session();
    await store.sessions.put(s);
    const before = inode(path.join(dir, 'sessions.json'));
    await store.sessions.put({ ...s });
    await store.sessions.delete('unknown');
    expect(await store.sessions.deleteForAccount('nobody')).toBe(0);
    expect(inode(path.join(dir, 'sessions.json'))).toBe(before);
  });
});

describe('lowdb store: one-time tokens', () => {
  it('keeps a used token used across a reopen', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const t = token();
    await store.tokens.insert(t);
    await store.tokens.consume(t.hash, 'mail.register', at(1));
    await store.close();
    const again = await open(dir);
    expect(await again.tokens.consume(t.hash, 'mail.register', at(2))).toEqual({ ok: false, reason: 'used' });
  });
});

describe('lowdb store: replay cache', () => {
  it('removes the pending AuthnRequests and pending logins files of older versions (nothing keeps them now)', async () => {
    const dir = tempDir();
    for (const name of ['saml-requests.json', 'saml-pending-logins.json']) writeFileSync(path.join(dir, name), JSON.stringify({ version: 1, records: [] }));
    await open(dir);
    expect(readdirSync(dir)).not.toContain('saml-requests.json');
    expect(readdirSync(dir)).not.toContain('saml-pending-logins.json');
  });

  it('still knows a remembered assertion ID after a reopen', async () => {
    const dir = tempDir();
    const store = await open(dir);
    expect(await store.saml.rememberAssertion('_a1', at(5))).toBe(true);
    await store.close();
    const again = await open(dir);
    expect(await again.saml.rememberAssertion('_a1', at(5))).toBe(false);
  });
});

describe('lowdb store: pruning', () => {
  async function filled(dir: string) {
    const store = await open(dir);
    const records = {
      liveSession: session({ expiresAt: at(120) }),
      deadSession: session({ expiresAt: at(60) }),
      recentToken: token({ expiresAt: at(60 - 23 * 60) }), // expired 23 h before at(60): kept
      oldToken: token({ expiresAt: at(60 - 25 * 60) }), // expired 25 h before: dropped
    };
    await store.sessions.put(records.liveSession);
    await store.sessions.put(records.deadSession);
    await store.tokens.insert(records.recentToken);
    await store.tokens.insert(records.oldToken);
    await store.saml.rememberAssertion('_live', at(120));
    await store.saml.rememberAssertion('_dead', at(60));
    return { store, records };
  }

  it('prunes on disk too, and counts what is left', async () => {
    const dir = tempDir();
    const { store, records: r } = await filled(dir);
    await store.prune(at(60));
    const check = async (s: LowdbStore) => {
      expect(await s.sessions.get(r.liveSession.idHash)).not.toBeNull();
      expect(await s.sessions.get(r.deadSession.idHash)).toBeNull();
      expect(await s.tokens.get(r.recentToken.hash)).not.toBeNull();
      expect(await s.tokens.get(r.oldToken.hash)).toBeNull();
      expect(s.counts()).toEqual({
        accounts: 0,
        sessions: 1,
        tokens: 1,
        samlAssertions: 1,
      });
    };
    await check(store);
    await store.close();
    // What was pruned is pruned on disk too.
    const again = await open(dir);
    await check(again);
    expect(await again.saml.rememberAssertion('_live', at(120))).toBe(false);
  });

  it('writes nothing when there is nothing to prune', async () => {
    const dir = tempDir();
    const { store } = await filled(dir);
    await store.prune(at(60));
    const files = readdirSync(dir).map((f) => [f, inode(path.join(dir, f))]);
    await store.prune(at(60));
    expect(readdirSync(dir).map((f) => [f, inode(path.join(dir, f))])).toEqual(files);
  });

  it('on its timer also drops sessions idle past the longest idle timeout it was given', async () => {
    const store = await open(tempDir(), { pruneIntervalMs: 20, sessionIdleSeconds: 30 * 60, now: () => new Date(at(61)) });
    const idle = session({ lastSeenAt: at(30), expiresAt: at(480) });
    const active = session({ lastSeenAt: at(40), expiresAt: at(480) });
    await store.sessions.put(idle);
    await store.sessions.put(active);
    await expect.poll(() => store.counts().sessions, { timeout: 2000 }).toBe(1);
    expect(await store.sessions.get(active.idHash)).toEqual(active);
    await store.close();
  });

  it('prunes on its own timer with the given clock, until closed', async () => {
    const store = await open(tempDir(), { pruneIntervalMs: 20, now: () => new Date(at(61)) });
    await store.sessions.put(session({ expiresAt: at(60) }));
    await expect.poll(() => store.counts().sessions, { timeout: 2000 }).toBe(0);
    await store.close();
    await expect(store.sessions.put(session({ expiresAt: at(60) }))).rejects.toThrow(/closed/);
  });
});

describe('lowdb store: files', () => {
  it('refuses to open over a file that is not valid JSON, naming it and leaving it untouched', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.tokens.insert(token());
    await store.close();
    const file = path.join(dir, 'tokens.json');
    writeFileSync(file, '{"version":1,"records":[{"hash":"x"');
    const error = await openLowdbStore(dir, { pruneIntervalMs: 0 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).message).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"records":[{"hash":"x"');
  });

  it('refuses an empty file and a file of another shape', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'sessions.json'), '');
    await expect(openLowdbStore(dir, { pruneIntervalMs: 0 })).rejects.toThrow(/sessions\.json.*empty/);
    writeFileSync(path.join(dir, 'sessions.json'), '[]');
    await expect(openLowdbStore(dir, { pruneIntervalMs: 0 })).rejects.toThrow(/sessions\.json/);
  });

  it('creates the data directory and starts empty when there are no files', async () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const store = await open(dir);
    expect(Object.values(store.counts()).every((c) => c === 0)).toBe(true);
    await store.sessions.put(session());
    expect(readdirSync(dir)).toEqual(['sessions.json']);
  });

  it('removes temporary files a crash left behind', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.accounts.json.12345.7.tmp'), '{"version":1,"rec');
    writeFileSync(path.join(dir, 'unrelated.tmp'), 'keep');
    await open(dir);
    expect(readdirSync(dir)).toEqual(['unrelated.tmp']);
  });
});

describe('durable file', () => {
  it('resolves each write only once a file containing its data is on disk', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'counter.json');
    const adapter = new DurableFile<{ n: number }>(file);
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        adapter.write({ n: i }).then(() => {
          seen.push(i);
          expect((JSON.parse(readFileSync(file, 'utf8')) as { n: number }).n).toBeGreaterThanOrEqual(i);
        }),
      ),
    );
    expect(seen).toHaveLength(50);
    expect(await adapter.read()).toEqual({ n: 49 });
    expect(readdirSync(dir)).toEqual(['counter.json']);
  });

  it('reads a missing file as null', async () => {
    expect(await new DurableFile(path.join(tempDir(), 'missing.json')).read()).toBeNull();
  });

  it('rejects every waiting caller when the write fails', async () => {
    const dir = tempDir();
    const adapter = new DurableFile(path.join(dir, 'gone', 'x.json'));
    const results = await Promise.allSettled([adapter.write({ a: 1 }), adapter.write({ a: 2 })]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
