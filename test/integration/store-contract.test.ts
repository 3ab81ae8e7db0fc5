/**
 * What the Store port promises (accounts, sessions, one-time tokens, SAML replay cache, pending
 * logins, pruning), run against every adapter family: lowdb files and a real PostgreSQL.
 * What only one family does (files on disk, a pool) is tested with that family.
 */
import { describe, expect, it } from 'vitest';
import type { Account } from '../../service/domain/model.js';
import type { Store } from '../../service/domain/ports.js';
import { openPostgresAuditLog } from '../../service/adapters/postgres/audit-store.js';
import { openPostgresStore } from '../../service/adapters/postgres/store.js';
import { random } from '../support/factories.js';
import { useStoreFamilies } from '../support/store-families.js';
import { account, at, session, token } from '../support/store-records.js';

/** An account the session or token belongs to (sessions need one that exists). */
async function stored(store: Store, over: Partial<Account> = {}): Promise<Account> {
  const a = account(over);
  expect(await store.accounts.insert(a)).toBe(true);
  return a;
}

const families = useStoreFamilies();

describe.each(families)('Store over $name', (family) => {
  const open = async () => (await family.open()).store;

  describe('accounts', () => {
    it('finds an inserted account by id and by IdP identity, every field as it was written', async () => {
      const store = await open();
      const a = account({ mail: 'hanako@example.ac.jp', previousLoginAt: at(-60 * 24), studentIds: ['A1234567', 'B7654321'] });
      const graduate = account({ idpEntityId: 'urn:shomei:graduate', kind: 'graduate', active: false, affiliation: null, lastLoginAt: null });
      expect(await store.accounts.insert(a)).toBe(true);
      expect(await store.accounts.insert(graduate)).toBe(true);
      expect(await store.accounts.get(a.id)).toEqual(a);
      // Absent optional fields stay absent; instants come back as the same ISO strings.
      expect(Object.keys((await store.accounts.get(a.id))!).sort()).toEqual(Object.keys(a).sort());
      expect(await store.accounts.get(graduate.id)).toEqual(graduate);
      expect(await store.accounts.findByIdentity(a.idpEntityId, a.userId)).toEqual(a);
      expect(await store.accounts.findByIdentity('https://other-idp.example/', a.userId)).toBeNull();
      expect(await store.accounts.get('nobody')).toBeNull();
    });

    it('refuses a second account with the same IdP identity', async () => {
      const store = await open();
      const a = await stored(store);
      expect(await store.accounts.insert({ ...a, id: 'another-id' })).toBe(false);
      expect(await store.accounts.get('another-id')).toBeNull();
    });

    it('keeps one account when the same IdP user is inserted 20 times at once', async () => {
      const store = await open();
      const a = account();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.accounts.insert({ ...a, id: `${a.id}-${i}` })));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = await store.accounts.findByIdentity(a.idpEntityId, a.userId);
      expect(winner?.id).toBe(`${a.id}-${results.indexOf(true)}`);
    });

    it('updates with a patch and returns the new record; undefined leaves a field; unknown accounts give null', async () => {
      const store = await open();
      const a = await stored(store);
      const updated = await store.accounts.update(a.id, {
        mail: 'hanako@example.ac.jp',
        language: 'en',
        nameKana: undefined,
        lastLoginAt: at(5),
        previousLoginAt: a.lastLoginAt,
      });
      expect(updated).toEqual({ ...a, mail: 'hanako@example.ac.jp', language: 'en', lastLoginAt: at(5), previousLoginAt: at(0) });
      expect(await store.accounts.get(a.id)).toEqual(updated);
      expect(await store.accounts.update(a.id, { active: true, kind: 'graduate', nameKanji: null })).toEqual({
        ...updated,
        active: true,
        kind: 'graduate',
        nameKanji: null,
      });
      expect(await store.accounts.update(a.id, {})).toEqual({ ...updated, active: true, kind: 'graduate', nameKanji: null });
      expect(await store.accounts.update('nobody', { mail: 'x@y' })).toBeNull();
    });

    it('follows an identity change, refusing a taken one', async () => {
      const store = await open();
      const a = await stored(store);
      const b = await stored(store);
      await store.accounts.update(a.id, { userId: 'renamed@example.ac.jp' });
      expect(await store.accounts.findByIdentity(a.idpEntityId, a.userId)).toBeNull();
      expect((await store.accounts.findByIdentity(a.idpEntityId, 'renamed@example.ac.jp'))?.id).toBe(a.id);
      await expect(store.accounts.update(a.id, { userId: b.userId })).rejects.toThrow();
      expect((await store.accounts.findByIdentity(b.idpEntityId, b.userId))?.id).toBe(b.id);
    });

    it('hands out copies: changing a returned or inserted record does not change the store', async () => {
      const store = await open();
      const a = await stored(store);
      a.studentIds.push('MUTATED');
      const got = (await store.accounts.get(a.id))!;
      got.mail = 'mutated@example';
      got.studentIds.push('MUTATED');
      const updated = (await store.accounts.update(a.id, { language: 'en' }))!;
      updated.studentIds.length = 0;
      expect((await store.accounts.get(a.id))!.studentIds).toEqual(['A1234567']);
      expect((await store.accounts.get(a.id))!.mail).toBeNull();
    });

    it('finds accounts by student ID and adds a student ID only where no other account holds it', async () => {
      const store = await open();
      const a = await stored(store, { studentIds: ['S1'] });
      const b = await stored(store, { studentIds: [] });
      expect((await store.accounts.findByStudentId('S1')).map((x) => x.id)).toEqual([a.id]);
      expect(await store.accounts.findByStudentId('S9')).toEqual([]);
      expect(await store.accounts.addStudentId(b.id, 'S1')).toEqual({ ok: false, reason: 'taken', holderId: a.id });
      expect(await store.accounts.addStudentId(a.id, 'S1')).toEqual({ ok: true, account: a, added: false });
      expect(await store.accounts.addStudentId(b.id, 'S2')).toEqual({ ok: true, account: { ...b, studentIds: ['S2'] }, added: true });
      expect(await store.accounts.addStudentId(a.id, 'S3')).toMatchObject({ ok: true, account: { studentIds: ['S1', 'S3'] }, added: true });
      expect(await store.accounts.addStudentId('nobody', 'S4')).toEqual({ ok: false, reason: 'notFound' });
    });

    it('gives a student ID claimed by 20 accounts at once to exactly one of them', async () => {
      const store = await open();
      const claimants = await Promise.all(Array.from({ length: 20 }, () => stored(store, { studentIds: [] })));
      const results = await Promise.all(claimants.map((c) => store.accounts.addStudentId(c.id, 'S-CONTESTED')));
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const holder = winners[0]!.ok ? winners[0]!.account.id : '';
      expect(results.filter((r) => !r.ok)).toEqual(Array.from({ length: 19 }, () => ({ ok: false, reason: 'taken', holderId: holder })));
      expect((await store.accounts.findByStudentId('S-CONTESTED')).map((a) => a.id)).toEqual([holder]);
    });
  });

  describe('sessions', () => {
    it('puts, replaces, gets and deletes a session', async () => {
      const store = await open();
      const owner = await stored(store);
      const s = session({
        saml: { idpEntityId: 'idp', nameId: 'nid', nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient', sessionIndex: null },
      });
      await store.sessions.put(s);
      expect(await store.sessions.get(s.idHash)).toEqual(s);
      const signedIn = { ...s, accountId: owner.id, kiosk: true, lastSeenAt: at(5), saml: null };
      await store.sessions.put(signedIn);
      expect(await store.sessions.get(s.idHash)).toEqual(signedIn);
      await store.sessions.delete(s.idHash);
      expect(await store.sessions.get(s.idHash)).toBeNull();
      await store.sessions.delete(s.idHash);
      expect(await store.sessions.get('unknown')).toBeNull();
    });

    it('deletes all sessions of an account', async () => {
      const store = await open();
      const [a1, a2] = [await stored(store), await stored(store)];
      const mine = [session({ accountId: a1.id }), session({ accountId: a1.id, kiosk: true })];
      const other = session({ accountId: a2.id });
      for (const s of [...mine, other]) await store.sessions.put(s);
      expect(await store.sessions.deleteForAccount(a1.id)).toBe(2);
      expect(await store.sessions.deleteForAccount(a1.id)).toBe(0);
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
      expect(await store.sessions.get(s2.idHash)).toEqual(s2);
      expect(await store.sessions.deleteForSaml({ idpEntityId: 'idp', nameId: 'nid', sessionIndex: null })).toBe(1);
      expect(await store.sessions.get(s3.idHash)).toEqual(s3);
      expect(await store.sessions.get(s4.idHash)).toEqual(s4);
    });

    it('hands out copies of sessions', async () => {
      const store = await open();
      const s = session();
      await store.sessions.put(s);
      s.csrfToken = 'mutated';
      (await store.sessions.get(s.idHash))!.csrfToken = 'mutated';
      expect((await store.sessions.get(s.idHash))!.csrfToken).toBe('csrf');
    });
  });

  describe('one-time tokens', () => {
    it('consumes a live token once; the second use is refused as used', async () => {
      const store = await open();
      const t = token();
      await store.tokens.insert(t);
      expect(await store.tokens.get(t.hash)).toEqual(t);
      expect(await store.tokens.consume(t.hash, 'mail.register', at(10))).toEqual({ ok: true, token: t });
      expect(await store.tokens.consume(t.hash, 'mail.register', at(11))).toEqual({ ok: false, reason: 'used' });
      expect(await store.tokens.get(t.hash)).toEqual({ ...t, usedAt: at(10) });
    });

    it('lets exactly one of 20 simultaneous consumers win', async () => {
      const store = await open();
      const t = token();
      await store.tokens.insert(t);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.tokens.consume(t.hash, 'mail.register', at(1))));
      expect(results.filter((r) => r.ok)).toEqual([{ ok: true, token: t }]);
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
      await expect(store.tokens.insert({ ...t, usedAt: null })).rejects.toThrow();
      expect((await store.tokens.get(t.hash))?.usedAt).toBe(at(1));
    });

    it('counts tokens since a time and finds the latest, per account and purpose', async () => {
      const store = await open();
      const t1 = token({ accountId: 'a1', createdAt: at(0) });
      const t2 = token({ accountId: 'a1', createdAt: at(5) });
      const t3 = token({ accountId: 'a1', createdAt: at(10), purpose: 'mail.change' });
      const t4 = token({ accountId: 'graduate:hanako@example.jp', createdAt: at(20), purpose: 'graduate.register' });
      for (const t of [t2, t1, t3, t4]) await store.tokens.insert(t);
      expect(await store.tokens.countSince('a1', 'mail.register', at(0))).toBe(2);
      expect(await store.tokens.countSince('a1', 'mail.register', at(1))).toBe(1);
      expect(await store.tokens.countSince('a1', 'mail.change', at(0))).toBe(1);
      expect(await store.tokens.countSince('graduate:hanako@example.jp', 'graduate.register', at(20))).toBe(1);
      expect(await store.tokens.latest('a1', 'mail.register')).toEqual(t2);
      expect(await store.tokens.latest('a3', 'mail.register')).toBeNull();
    });

    it("finds an account's latest token as it stands after a consume, a prune and a rolled-back transaction", async () => {
      const stores = await family.open();
      const { store } = stores;
      const old = token({ accountId: 'a1', createdAt: at(-26 * 60), expiresAt: at(-25 * 60) });
      const used = token({ accountId: 'a1', createdAt: at(0), expiresAt: at(30) });
      const other = token({ accountId: 'a2', createdAt: at(40), expiresAt: at(70) });
      for (const t of [old, used, other]) await store.tokens.insert(t);
      await store.tokens.consume(used.hash, 'mail.register', at(1));
      expect(await store.tokens.latest('a1', 'mail.register')).toEqual({ ...used, usedAt: at(1) });
      await store.prune(at(60));
      expect(await store.tokens.latest('a1', 'mail.register')).toEqual({ ...used, usedAt: at(1) });
      expect(await store.tokens.countSince('a1', 'mail.register', at(-30 * 60))).toBe(1);
      const undone = token({ accountId: 'a1', createdAt: at(50), expiresAt: at(80) });
      await expect(
        stores.transaction(async (tx) => {
          await tx.store.tokens.insert(undone);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await store.tokens.latest('a1', 'mail.register')).toEqual({ ...used, usedAt: at(1) });
      const next = token({ accountId: 'a1', createdAt: at(55), expiresAt: at(85) });
      await store.tokens.insert(next);
      expect(await store.tokens.latest('a1', 'mail.register')).toEqual(next);
      expect(await store.tokens.latest('a2', 'mail.register')).toEqual(other);
    });
  });

  describe('SAML replay cache', () => {
    it('remembers an assertion ID and reports its replay', async () => {
      const store = await open();
      expect(await store.saml.rememberAssertion('_a1', at(5))).toBe(true);
      expect(await store.saml.rememberAssertion('_a1', at(5))).toBe(false);
      expect(await store.saml.rememberAssertion('_a2', at(5))).toBe(true);
      expect(await store.saml.rememberAssertion('InResponseTo _a1', at(5))).toBe(true);
      expect(await store.saml.hasSeenAssertion('_a1')).toBe(true);
      expect(await store.saml.hasSeenAssertion('_a3')).toBe(false);
    });

    it('calls an assertion ID remembered by 20 requests at once new exactly once', async () => {
      const store = await open();
      const results = await Promise.all(Array.from({ length: 20 }, () => store.saml.rememberAssertion('_raced', at(5))));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('pruning', () => {
    it('drops expired sessions, day-old expired tokens, old assertion IDs; keeps the rest', async () => {
      const store = await open();
      const r = {
        liveSession: session({ expiresAt: at(120) }),
        deadSession: session({ expiresAt: at(60) }),
        recentToken: token({ expiresAt: at(60 - 23 * 60) }), // expired 23 h before at(60): kept
        oldToken: token({ expiresAt: at(60 - 25 * 60) }), // expired 25 h before: dropped
      };
      await store.sessions.put(r.liveSession);
      await store.sessions.put(r.deadSession);
      await store.tokens.insert(r.recentToken);
      await store.tokens.insert(r.oldToken);
      await store.saml.rememberAssertion('_live', at(120));
      await store.saml.rememberAssertion('_dead', at(60));

      await store.prune(at(60));
      expect(await store.sessions.get(r.liveSession.idHash)).toEqual(r.liveSession);
      expect(await store.sessions.get(r.deadSession.idHash)).toBeNull();
      expect(await store.tokens.get(r.recentToken.hash)).toEqual(r.recentToken);
      expect(await store.tokens.get(r.oldToken.hash)).toBeNull();
      // A pruned assertion ID is new again; a kept one is still a replay.
      expect(await store.saml.rememberAssertion('_live', at(120))).toBe(false);
      expect(await store.saml.rememberAssertion('_dead', at(120))).toBe(true);
    });

    it('drops sessions idle past the longest idle timeout, though their absolute end is hours away', async () => {
      const store = await open();
      const idle = session({ lastSeenAt: at(10), expiresAt: at(480) });
      const active = session({ lastSeenAt: at(50), expiresAt: at(480) });
      await store.sessions.put(idle);
      await store.sessions.put(active);
      // Without a cutoff only absolute ends count.
      await store.prune(at(60));
      expect(await store.sessions.get(idle.idHash)).toEqual(idle);
      await store.prune(at(60), at(30));
      expect(await store.sessions.get(idle.idHash)).toBeNull();
      expect(await store.sessions.get(active.idHash)).toEqual(active);
    });
  });
});

describe('PostgreSQL adapters over a client in a transaction (as a unit of work hands them one)', () => {
  it('write through that transaction, seen by nobody else until it commits, undone by its rollback', async () => {
    const pool = await families[1].database();
    const outside = openPostgresStore(pool);
    const [undone, kept] = [account({ studentIds: [] }), account({ studentIds: [] })];
    const client = await pool.connect();
    try {
      for (const [a, end] of [
        [undone, 'ROLLBACK'],
        [kept, 'COMMIT'],
      ] as const) {
        await client.query('BEGIN');
        const store = openPostgresStore(client);
        expect(await store.accounts.insert(a)).toBe(true);
        expect(await store.accounts.addStudentId(a.id, `S-${a.id}`)).toMatchObject({ ok: true, added: true });
        await openPostgresAuditLog(client, random).append({
          at: at(1),
          actor: { type: 'system', id: 'test', name: 'test' },
          action: 'account.studentId.added',
          target: { type: 'account', id: a.id },
          before: null,
          after: { studentId: `S-${a.id}` },
          note: null,
        });
        expect(await outside.accounts.get(a.id)).toBeNull();
        await client.query(end);
      }
    } finally {
      client.release();
    }
    expect(await outside.accounts.get(undone.id)).toBeNull();
    expect(await outside.accounts.get(kept.id)).toEqual({ ...kept, studentIds: [`S-${kept.id}`] });
    expect((await openPostgresAuditLog(pool, random).list({})).items.map((e) => e.target.id)).toEqual([kept.id]);
  });
});
