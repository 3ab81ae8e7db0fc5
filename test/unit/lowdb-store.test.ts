import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataFileError, DurableFile } from '../../service/adapters/lowdb/durable-file.js';
import { openLowdbStore, type LowdbStore, type LowdbStoreOptions } from '../../service/adapters/lowdb/store.js';
import type { Account, OneTimeToken, PendingLogin, Session } from '../../service/domain/model.js';

const T0 = Date.parse('2026-04-01T09:00:00.000Z');
/** An ISO time `minutes` after T0. */
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

let n = 0;
const account = (over: Partial<Account> = {}): Account => ({
  id: `acc-${++n}`,
  idpEntityId: 'https://idp.example.ac.jp/idp/shibboleth',
  userId: `user${n}@example.ac.jp`,
  mail: null,
  idpMail: `user${n}@example.ac.jp`,
  displayName: '山田 花子',
  nameKanji: '山田 花子',
  nameKana: 'ヤマダ ハナコ',
  nameRoman: 'YAMADA Hanako',
  studentIds: ['A1234567'],
  affiliation: 'student',
  language: 'ja',
  createdAt: at(0),
  lastLoginAt: at(0),
  previousLoginAt: null,
  ...over,
});
const session = (over: Partial<Session> = {}): Session => ({
  idHash: `sess-${++n}`,
  accountId: null,
  csrfToken: 'csrf',
  kiosk: false,
  createdAt: at(0),
  lastSeenAt: at(0),
  expiresAt: at(60),
  saml: null,
  ...over,
});
const token = (over: Partial<OneTimeToken> = {}): OneTimeToken => ({
  hash: `tok-${++n}`,
  purpose: 'mail.register',
  accountId: 'acc-x',
  mail: 'hanako@example.ac.jp',
  createdAt: at(0),
  expiresAt: at(30),
  usedAt: null,
  ...over,
});
const pendingLogin = (over: Partial<PendingLogin> = {}): PendingLogin => ({
  codeHash: `code-${++n}`,
  requestId: '_req',
  identity: {
    idpEntityId: 'https://idp.example.ac.jp/idp/shibboleth',
    userId: 'hanako@example.ac.jp',
    nameId: 'nid',
    nameIdFormat: null,
    sessionIndex: 'si',
    mail: null,
    displayName: null,
    nameKanji: null,
    nameKana: null,
    nameRoman: null,
    studentId: null,
    affiliation: null,
  },
  createdAt: at(0),
  expiresAt: at(2),
  ...over,
});

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
  it('finds an inserted account by id and by IdP identity', async () => {
    const store = await open();
    const a = account();
    expect(await store.accounts.insert(a)).toBe(true);
    expect(await store.accounts.get(a.id)).toEqual(a);
    expect(await store.accounts.findByIdentity(a.idpEntityId, a.userId)).toEqual(a);
    expect(await store.accounts.findByIdentity('https://other-idp.example/', a.userId)).toBeNull();
    expect(await store.accounts.get('nobody')).toBeNull();
  });

  it('refuses a second account with the same IdP identity', async () => {
    const store = await open();
    const a = account();
    await store.accounts.insert(a);
    expect(await store.accounts.insert({ ...a, id: 'another-id' })).toBe(false);
    expect(await store.accounts.get('another-id')).toBeNull();
  });

  it('updates with a patch and returns the new record; unknown accounts give null', async () => {
    const store = await open();
    const a = account();
    await store.accounts.insert(a);
    const updated = await store.accounts.update(a.id, { mail: 'hanako@example.ac.jp', language: 'en', nameKana: undefined });
    expect(updated).toEqual({ ...a, mail: 'hanako@example.ac.jp', language: 'en' });
    expect(await store.accounts.get(a.id)).toEqual(updated);
    expect(await store.accounts.update('nobody', { mail: 'x@y' })).toBeNull();
  });

  it('moves the identity index along when the identity changes, refusing a taken one', async () => {
    const store = await open();
    const a = account();
    const b = account();
    await store.accounts.insert(a);
    await store.accounts.insert(b);
    await store.accounts.update(a.id, { userId: 'renamed@example.ac.jp' });
    expect(await store.accounts.findByIdentity(a.idpEntityId, a.userId)).toBeNull();
    expect((await store.accounts.findByIdentity(a.idpEntityId, 'renamed@example.ac.jp'))?.id).toBe(a.id);
    await expect(store.accounts.update(a.id, { userId: b.userId })).rejects.toThrow(/identity/);
  });

  it('hands out copies: changing a returned or inserted record does not change the store', async () => {
    const store = await open();
    const a = account();
    await store.accounts.insert(a);
    a.studentIds.push('MUTATED');
    const got = (await store.accounts.get(a.id))!;
    got.mail = 'mutated@example';
    got.studentIds.push('MUTATED');
    const updated = (await store.accounts.update(a.id, { language: 'en' }))!;
    updated.studentIds.length = 0;
    expect((await store.accounts.get(a.id))!.studentIds).toEqual(['A1234567']);
    expect((await store.accounts.get(a.id))!.mail).toBeNull();
  });

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
  it('puts, replaces, gets and deletes a session', async () => {
    const store = await open();
    const s = session();
    await store.sessions.put(s);
    expect(await store.sessions.get(s.idHash)).toEqual(s);
    await store.sessions.put({ ...s, lastSeenAt: at(5) });
    expect((await store.sessions.get(s.idHash))?.lastSeenAt).toBe(at(5));
    await store.sessions.delete(s.idHash);
    expect(await store.sessions.get(s.idHash)).toBeNull();
    await store.sessions.delete(s.idHash);
  });

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

  it('deletes all sessions of an account', async () => {
    const store = await open();
    const mine = [session({ accountId: 'a1' }), session({ accountId: 'a1', kiosk: true })];
    const other = session({ accountId: 'a2' });
    for (const s of [...mine, other]) await store.sessions.put(s);
    expect(await store.sessions.deleteForAccount('a1')).toBe(2);
    expect(await store.sessions.get(mine[0]!.idHash)).toBeNull();
    expect(await store.sessions.get(other.idHash)).toEqual(other);
  });

  it('deletes sessions of a SAML login, by session index or any index', async () => {
    const store = await open();
    const ref = (sessionIndex: string | null) => ({ idpEntityId: 'idp', nameId: 'nid', nameIdFormat: null, sessionIndex });
    const s1 = session({ saml: ref('i1') });
    const s2 = session({ saml: ref('i2') });
    const s3 = session({ saml: { ...ref('i1'), nameId: 'someone-else' } });
    const s4 = session();
    for (const s of [s1, s2, s3, s4]) await store.sessions.put(s);
    expect(await store.sessions.deleteForSaml({ idpEntityId: 'idp', nameId: 'nid', sessionIndex: 'i1' })).toBe(1);
    expect(await store.sessions.get(s2.idHash)).not.toBeNull();
    expect(await store.sessions.deleteForSaml({ idpEntityId: 'idp', nameId: 'nid', sessionIndex: null })).toBe(1);
    expect(await store.sessions.get(s3.idHash)).not.toBeNull();
    expect(await store.sessions.get(s4.idHash)).not.toBeNull();
  });

  it('hands out copies of sessions', async () => {
    const store = await open();
    const s = session();
    await store.sessions.put(s);
    s.accountId = 'mutated';
    (await store.sessions.get(s.idHash))!.accountId = 'mutated';
    expect((await store.sessions.get(s.idHash))!.accountId).toBeNull();
  });
});

describe('lowdb store: one-time tokens', () => {
  it('consumes a live token once; the second use is refused as used', async () => {
    const store = await open();
    const t = token();
    await store.tokens.insert(t);
    expect(await store.tokens.consume(t.hash, 'mail.register', at(10))).toEqual({ ok: true, token: t });
    expect(await store.tokens.consume(t.hash, 'mail.register', at(11))).toEqual({ ok: false, reason: 'used' });
    expect((await store.tokens.get(t.hash))?.usedAt).toBe(at(10));
  });

  it('lets exactly one of many simultaneous consumers win', async () => {
    const store = await open();
    const t = token();
    await store.tokens.insert(t);
    const results = await Promise.all(Array.from({ length: 20 }, () => store.tokens.consume(t.hash, 'mail.register', at(1))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'used')).toHaveLength(19);
  });

  it('refuses an expired token, at and after its expiry, without marking it used', async () => {
    const store = await open();
    const t = token({ expiresAt: at(30) });
    await store.tokens.insert(t);
    expect(await store.tokens.consume(t.hash, 'mail.register', at(30))).toEqual({ ok: false, reason: 'expired' });
    expect(await store.tokens.consume(t.hash, 'mail.register', at(31))).toEqual({ ok: false, reason: 'expired' });
    expect((await store.tokens.get(t.hash))?.usedAt).toBeNull();
  });

  it('treats an unknown hash or another purpose as unknown; accepts a list of purposes', async () => {
    const store = await open();
    const t = token({ purpose: 'mail.change' });
    await store.tokens.insert(t);
    expect(await store.tokens.consume('nope', 'mail.change', at(1))).toEqual({ ok: false, reason: 'unknown' });
    expect(await store.tokens.consume(t.hash, 'mail.register', at(1))).toEqual({ ok: false, reason: 'unknown' });
    expect((await store.tokens.consume(t.hash, ['mail.register', 'mail.change'], at(1))).ok).toBe(true);
  });

  it('never overwrites a token with the same hash', async () => {
    const store = await open();
    const t = token();
    await store.tokens.insert(t);
    await store.tokens.consume(t.hash, 'mail.register', at(1));
    await expect(store.tokens.insert({ ...t, usedAt: null })).rejects.toThrow(/exists/);
    expect((await store.tokens.get(t.hash))?.usedAt).toBe(at(1));
  });

  it('counts tokens since a time and finds the latest, per account and purpose', async () => {
    const store = await open();
    const t1 = token({ accountId: 'a1', createdAt: at(0) });
    const t2 = token({ accountId: 'a1', createdAt: at(5) });
    const t3 = token({ accountId: 'a1', createdAt: at(10), purpose: 'mail.change' });
    const t4 = token({ accountId: 'a2', createdAt: at(20) });
    for (const t of [t2, t1, t3, t4]) await store.tokens.insert(t);
    expect(await store.tokens.countSince('a1', 'mail.register', at(0))).toBe(2);
    expect(await store.tokens.countSince('a1', 'mail.register', at(1))).toBe(1);
    expect(await store.tokens.countSince('a1', 'mail.change', at(0))).toBe(1);
    expect(await store.tokens.latest('a1', 'mail.register')).toEqual(t2);
    expect(await store.tokens.latest('a3', 'mail.register')).toBeNull();
  });

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

describe('lowdb store: replay cache, pending logins', () => {
  it('removes the pending AuthnRequests file of an older version (the browser keeps them now)', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'saml-requests.json'), JSON.stringify({ version: 1, records: [] }));
    await open(dir);
    expect(readdirSync(dir)).not.toContain('saml-requests.json');
  });

  it('remembers an assertion ID and reports its replay, also after a reopen', async () => {
    const dir = tempDir();
    const store = await open(dir);
    expect(await store.saml.rememberAssertion('_a1', at(5))).toBe(true);
    expect(await store.saml.rememberAssertion('_a1', at(5))).toBe(false);
    expect(await store.saml.rememberAssertion('_a2', at(5))).toBe(true);
    await store.close();
    const again = await open(dir);
    expect(await again.saml.rememberAssertion('_a1', at(5))).toBe(false);
  });

  it('takes a pending login once; an expired one is removed and not returned', async () => {
    const store = await open();
    const live = pendingLogin({ expiresAt: at(2) });
    const stale = pendingLogin({ expiresAt: at(2) });
    await store.saml.putPendingLogin(live);
    await store.saml.putPendingLogin(stale);
    expect(await store.saml.takePendingLogin(live.codeHash, at(1))).toEqual(live);
    expect(await store.saml.takePendingLogin(live.codeHash, at(1))).toBeNull();
    expect(await store.saml.takePendingLogin(stale.codeHash, at(2))).toBeNull();
    expect(store.counts().samlPendingLogins).toBe(0);
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
      liveLogin: pendingLogin({ expiresAt: at(120) }),
      deadLogin: pendingLogin({ expiresAt: at(59) }),
    };
    await store.sessions.put(records.liveSession);
    await store.sessions.put(records.deadSession);
    await store.tokens.insert(records.recentToken);
    await store.tokens.insert(records.oldToken);
    await store.saml.rememberAssertion('_live', at(120));
    await store.saml.rememberAssertion('_dead', at(60));
    await store.saml.putPendingLogin(records.liveLogin);
    await store.saml.putPendingLogin(records.deadLogin);
    return { store, records };
  }

  it('drops expired sessions, long-expired tokens, old assertion IDs and expired logins', async () => {
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
        samlPendingLogins: 1,
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
