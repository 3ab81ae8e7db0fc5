/**
 * What the staff, staff session, graduate credential, terminal, institution and audit log ports
 * promise, run against every adapter family: lowdb files and a real PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from '../../service/domain/audit.js';
import type { Account } from '../../service/domain/model.js';
import type { InstitutionImage, InstitutionProfile } from '../../service/domain/institution/model.js';
import { PAGE_MAX_LIMIT } from '../../service/domain/paging.js';
import type { StaffSession, StaffUser } from '../../service/domain/staff/model.js';
import { terminalNameKey, type Terminal } from '../../service/domain/terminals/model.js';
import { account } from '../support/factories.js';
import { useStoreFamilies } from '../support/store-families.js';

const T0 = Date.parse('2026-04-01T09:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

let serial = 0;
const staffUser = (over: Partial<StaffUser> = {}): StaffUser => ({
  id: `staff-${++serial}`,
  username: `user${serial}`,
  displayName: `User ${serial}`,
  role: 'reviewer',
  passwordHash: 'scrypt$ln=15,r=8,p=1$x$y',
  disabled: false,
  createdAt: at(0),
  lastLoginAt: null,
  ...over,
});
const staffSession = (staffId: string, over: Partial<StaffSession> = {}): StaffSession => ({
  idHash: `staff-sess-${++serial}`,
  staffId,
  csrfToken: 'csrf',
  createdAt: at(0),
  lastSeenAt: at(0),
  expiresAt: at(600),
  ...over,
});
const terminal = (name: string, over: Partial<Terminal> = {}): Terminal => ({
  id: `term-${++serial}`,
  name,
  nameKey: terminalNameKey(name),
  location: '図書館 1階',
  publicKey: `key-${serial}`,
  status: 'active',
  embedded: false,
  enrolledAt: at(serial),
  keyIssuedAt: at(serial),
  revokedAt: null,
  lastContactAt: null,
  shellVersion: null,
  printer: null,
  ...over,
});
const profile = (over: Partial<InstitutionProfile> = {}): InstitutionProfile => ({
  name: { ja: '東都大学', en: 'Toto University' },
  shortName: { ja: '東都大', en: 'Toto' },
  officer: { title: { ja: '学長', en: 'President' }, name: { ja: '山田 太郎', en: 'Taro Yamada' } },
  contact: {
    office: { ja: '学務課', en: 'Student Affairs' },
    phone: '03-0000-0000',
    mail: 'gakumu@example.ac.jp',
    hours: { ja: '平日 9:00–17:00', en: 'Weekdays 9:00–17:00' },
    webUrl: null,
  },
  environments: [{ category: { ja: 'ブラウザ', en: 'Browser' }, detail: { ja: '最新版', en: 'Latest' } }],
  updatedAt: at(0),
  ...over,
});
const image = (kind: InstitutionImage['kind'], bytes: number[]): InstitutionImage => ({
  kind,
  png: new Uint8Array(bytes),
  width: 120,
  height: 80,
  sha256: `sha-${bytes.join('')}`,
  uploadedType: 'image/svg+xml',
  uploadedAt: at(3),
});
const staffActor = (id: string, name: string) => ({ type: 'staff' as const, id, name });

describe.each(useStoreFamilies())('ports over $name', (family) => {
  describe('staff users', () => {
    it('finds users by id and user name, refuses a taken id or name, and updates with a patch', async () => {
      const { staff } = await family.open();
      const user = staffUser({ username: 'sato', role: 'administrator' });
      expect(await staff.insert(user)).toBe(true);
      expect(await staff.insert(staffUser({ username: 'sato' }))).toBe(false);
      expect(await staff.insert({ ...staffUser(), id: user.id })).toBe(false);
      expect(await staff.get(user.id)).toEqual(user);
      expect(await staff.findByUsername('sato')).toEqual(user);
      expect(await staff.findByUsername('nobody')).toBeNull();
      expect(await staff.update('missing', { disabled: true })).toBeNull();
      const disabled = { ...user, disabled: true, sessionsNotBefore: at(5), lastLoginAt: at(4) };
      expect(await staff.update(user.id, { disabled: true, sessionsNotBefore: at(5), lastLoginAt: at(4) })).toEqual(disabled);
      expect(await staff.get(user.id)).toEqual(disabled);
    });

    it('refuses to rename a user to a taken name, and lists users by name', async () => {
      const { staff } = await family.open();
      const [b, a, c] = [staffUser({ username: 'suzuki' }), staffUser({ username: 'kato' }), staffUser({ username: 'tanaka' })];
      for (const u of [b, a, c]) await staff.insert(u);
      expect(await staff.update(c.id, { username: 'kato' })).toBeNull();
      expect(await staff.update(c.id, { username: 'abe' })).toEqual({ ...c, username: 'abe' });
      expect((await staff.list()).map((u) => u.username)).toEqual(['abe', 'kato', 'suzuki']);
    });

    it('lets one of 20 simultaneous inserts of a name win', async () => {
      const { staff } = await family.open();
      const results = await Promise.all(Array.from({ length: 20 }, () => staff.insert(staffUser({ username: 'raced' }))));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await staff.list()).toHaveLength(1);
    });
  });

  describe('staff sessions', () => {
    it('puts, replaces, gets and deletes a session', async () => {
      const { staff, staffSessions } = await family.open();
      const user = staffUser();
      await staff.insert(user);
      const s = staffSession(user.id);
      await staffSessions.put(s);
      expect(await staffSessions.get(s.idHash)).toEqual(s);
      await staffSessions.put({ ...s, lastSeenAt: at(5) });
      expect(await staffSessions.get(s.idHash)).toEqual({ ...s, lastSeenAt: at(5) });
      await staffSessions.delete(s.idHash);
      expect(await staffSessions.get(s.idHash)).toBeNull();
      await staffSessions.delete(s.idHash);
    });

    it('prunes sessions idle or past their end at the cutoffs, inclusive, keeping live ones', async () => {
      const { staff, staffSessions } = await family.open();
      const user = staffUser();
      await staff.insert(user);
      const idle = staffSession(user.id, { lastSeenAt: at(30) });
      const ended = staffSession(user.id, { lastSeenAt: at(50), expiresAt: at(60) });
      const live = staffSession(user.id, { lastSeenAt: at(31), expiresAt: at(61) });
      for (const s of [idle, ended, live]) await staffSessions.put(s);
      expect(await staffSessions.pruneExpired({ lastSeenBy: at(30), expiresBy: at(60) })).toBe(2);
      expect(await staffSessions.get(live.idHash)).toEqual(live);
      expect(await staffSessions.get(idle.idHash)).toBeNull();
      expect(await staffSessions.get(ended.idHash)).toBeNull();
      expect(await staffSessions.pruneExpired({ lastSeenBy: at(30), expiresBy: at(60) })).toBe(0);
    });
  });

  describe('graduate credentials', () => {
    it('inserts once per account, gets and patches them', async () => {
      const { store, graduateCredentials } = await family.open();
      const owner: Account = account({ idpEntityId: 'urn:shomei:graduate', kind: 'graduate' });
      await store.accounts.insert(owner);
      const c = {
        accountId: owner.id,
        passwordHash: 'p1',
        secondPasswordHash: 's1',
        createdAt: at(0),
        passwordChangedAt: at(0),
        secondPasswordChangedAt: at(0),
      };
      expect(await graduateCredentials.insert(c)).toBe(true);
      expect(await graduateCredentials.insert({ ...c, passwordHash: 'other' })).toBe(false);
      expect(await graduateCredentials.get(owner.id)).toEqual(c);
      expect(await graduateCredentials.get('nobody')).toBeNull();
      expect(await graduateCredentials.update(owner.id, { passwordHash: 'p2', passwordChangedAt: at(9) })).toEqual({
        ...c,
        passwordHash: 'p2',
        passwordChangedAt: at(9),
      });
      expect(await graduateCredentials.get(owner.id)).toEqual({ ...c, passwordHash: 'p2', passwordChangedAt: at(9) });
      expect(await graduateCredentials.update('nobody', { passwordHash: 'x' })).toBeNull();
    });
  });

  describe('terminals', () => {
    it('inserts unless the id or the name key is taken; the embedded terminal has no name key', async () => {
      const { terminals } = await family.open();
      const t = terminal('LIB-1F-01');
      const embedded = terminal('embedded-id', { nameKey: null, embedded: true, location: '' });
      expect(await terminals.insert(t)).toBe(true);
      expect(await terminals.insert(embedded)).toBe(true);
      expect(await terminals.insert(terminal('ｌｉｂ-１ｆ-０１'))).toBe(false);
      expect(await terminals.insert({ ...terminal('OTHER'), id: t.id })).toBe(false);
      expect(await terminals.get(t.id)).toEqual(t);
      expect(await terminals.get(embedded.id)).toEqual(embedded);
      expect(await terminals.get('nobody')).toBeNull();
      expect((await terminals.list()).map((x) => x.id).sort()).toEqual([t.id, embedded.id].sort());
    });

    it('updates only while the status and key are as read: a revocation is never overwritten', async () => {
      const { terminals } = await family.open();
      const t = terminal('LIB-2F-01');
      await terminals.insert(t);
      const contact = { lastContactAt: at(10), shellVersion: '1.2.0', printer: 'ready' as const };
      expect(await terminals.update(t.id, { status: 'active', publicKey: t.publicKey }, contact)).toEqual({ ...t, ...contact });
      const revoked = { ...t, ...contact, status: 'revoked' as const, revokedAt: at(11) };
      expect(await terminals.update(t.id, { status: 'active', publicKey: t.publicKey }, { status: 'revoked', revokedAt: at(11) })).toEqual(revoked);
      // A contact read before the revocation.
      expect(await terminals.update(t.id, { status: 'active', publicKey: t.publicKey }, { lastContactAt: at(12) })).toBeNull();
      expect(await terminals.update(t.id, { status: 'revoked', publicKey: 'another key' }, { lastContactAt: at(12) })).toBeNull();
      expect(await terminals.update('nobody', { status: 'active', publicKey: 'k' }, { lastContactAt: at(12) })).toBeNull();
      expect(await terminals.get(t.id)).toEqual(revoked);
    });
  });

  describe('institution', () => {
    it('keeps one profile, replaced whole', async () => {
      const { institution } = await family.open();
      expect(await institution.profile()).toBeNull();
      await institution.putProfile(profile());
      expect(await institution.profile()).toEqual(profile());
      const changed = profile({ contact: { ...profile().contact, webUrl: 'https://example.ac.jp/gakumu' }, environments: [], updatedAt: at(7) });
      await institution.putProfile(changed);
      expect(await institution.profile()).toEqual(changed);
    });

    it('keeps one image per kind byte for byte, its metadata apart, until removed', async () => {
      const { institution } = await family.open();
      const seal = image('seal', [137, 80, 78, 71, 0, 255, 13, 10]);
      await institution.putImage(seal);
      await institution.putImage(image('logo', [1, 2, 3]));
      expect(await institution.image('seal')).toEqual(seal);
      const { png: _png, ...meta } = seal;
      expect(await institution.imageMeta('seal')).toEqual(meta);
      const newer = { ...image('seal', [9, 9]), uploadedType: 'image/png' as const, uploadedAt: at(8) };
      await institution.putImage(newer);
      expect(await institution.image('seal')).toEqual(newer);
      await institution.removeImage('seal');
      await institution.removeImage('seal');
      expect(await institution.image('seal')).toBeNull();
      expect(await institution.imageMeta('seal')).toBeNull();
      expect((await institution.image('logo'))?.png).toEqual(new Uint8Array([1, 2, 3]));
    });
  });

  describe('audit log', () => {
    let minute = 0;
    const entry = (over: Partial<Omit<AuditEntry, 'id'>> = {}): Omit<AuditEntry, 'id'> => ({
      at: at(++minute),
      actor: staffActor('s-1', '佐藤 花子'),
      action: 'application.approved',
      target: { type: 'application', id: 'app-1' },
      before: { status: 'pending' },
      after: { status: 'approved' },
      note: null,
      ...over,
    });
    const open = async (): Promise<AuditLog> => (await family.open()).audit;

    it('gives each entry an id and keeps who, when, what and before/after', async () => {
      const log = await open();
      const e = entry({ note: 'matches the registry', before: null, after: { studentIds: ['S1'], nested: { n: 1.5, ok: true } } });
      const appended = await log.append(e);
      expect(appended).toEqual({ ...e, id: expect.stringMatching(/.+/) });
      expect((await log.list({})).items).toEqual([appended]);
    });

    it('lists newest first, also for entries with the same time', async () => {
      const log = await open();
      const a = await log.append(entry({ target: { type: 'application', id: 'a' } }));
      await log.append({ ...entry({ target: { type: 'application', id: 'b' } }), at: a.at });
      await log.append(entry({ target: { type: 'application', id: 'c' } }));
      // Appended later with an earlier time: ordered by time.
      await log.append({ ...entry({ target: { type: 'application', id: 'early' } }), at: at(-100) });
      expect((await log.list({})).items.map((e) => e.target.id)).toEqual(['c', 'b', 'a', 'early']);
    });

    it('filters by action (exact or a family ending in "."), actor (id or part of the name) and target', async () => {
      const log = await open();
      await log.append(entry({ action: 'application.approved', actor: staffActor('s-1', '佐藤 花子'), target: { type: 'application', id: 'x' } }));
      await log.append(entry({ action: 'application.rejected', actor: staffActor('s-2', 'Kato Jiro'), target: { type: 'application', id: 'y' } }));
      await log.append(entry({ action: 'registry.students.imported', actor: staffActor('s-2', 'Kato Jiro'), target: { type: 'registry', id: 'students' } }));
      await log.append(
        entry({ action: 'applicationXrejected', actor: { type: 'system', id: 'admin-cli', name: '100%_cli' }, target: { type: 'application', id: 'z' } }),
      );
      const actions = async (filter: Parameters<AuditLog['list']>[0]) => (await log.list(filter)).items.map((e) => e.action);
      expect(await actions({ action: 'application.rejected' })).toEqual(['application.rejected']);
      expect(await actions({ action: 'application.' })).toEqual(['application.rejected', 'application.approved']);
      expect(await actions({ action: 'application' })).toEqual([]);
      expect(await actions({ actorId: 's-1' })).toEqual(['application.approved']);
      expect(await actions({ actor: 'kato' })).toEqual(['registry.students.imported', 'application.rejected']);
      expect(await actions({ actor: 'KATO J' })).toEqual(['registry.students.imported', 'application.rejected']);
      expect(await actions({ actor: 's-1' })).toEqual(['application.approved']);
      expect(await actions({ actor: '佐藤' })).toEqual(['application.approved']);
      // Characters that are wildcards in SQL patterns match only themselves.
      expect(await actions({ actor: '%_' })).toEqual(['applicationXrejected']);
      expect(await actions({ actor: '_' })).toEqual(['applicationXrejected']);
      expect(await actions({ targetId: 'y' })).toEqual(['application.rejected']);
      expect(await actions({ action: 'application.', actor: 'kato', targetId: 'y' })).toEqual(['application.rejected']);
    });

    it('tells the time of the newest entry of one action per target, among the targets asked for', async () => {
      const log = await open();
      const login = (id: string, minutes: number) => entry({ action: 'staff.login', target: { type: 'staffUser', id }, at: at(minutes) });
      await log.append(login('u-1', 5));
      await log.append(login('u-1', 3)); // appended later with an earlier time: the newest time counts
      await log.append(login('u-2', 4));
      await log.append(login('u-3', 9));
      await log.append(entry({ action: 'staff.user.disabled', target: { type: 'staffUser', id: 'u-2' }, at: at(20) }));
      expect(Object.fromEntries(await log.lastTimes('staff.login', ['u-1', 'u-2', 'u-4']))).toEqual({ 'u-1': at(5), 'u-2': at(4) });
      expect(await log.lastTimes('staff.login', [])).toEqual(new Map());
    });

    it('pages with a bounded page size and tells the total', async () => {
      const log = await open();
      for (let i = 0; i < 5; i++) await log.append(entry({ target: { type: 'application', id: `t${i}` } }));
      const page = await log.list({ offset: 1, limit: 2 });
      expect(page.total).toBe(5);
      expect(page.items.map((e) => e.target.id)).toEqual(['t3', 't2']);
      expect(await log.list({ offset: 10 })).toEqual({ total: 5, items: [] });
      expect((await log.list({ limit: 10_000 })).items.length).toBeLessThanOrEqual(PAGE_MAX_LIMIT);
    });

    it('keeps every one of 20 entries appended at once', async () => {
      const log = await open();
      await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(entry({ target: { type: 'application', id: `p${i}` } }))));
      const { total, items } = await log.list({});
      expect(total).toBe(20);
      expect(new Set(items.map((e) => e.id)).size).toBe(20);
    });

    it('returns copies, so a caller cannot change what was recorded', async () => {
      const log = await open();
      const appended = await log.append(entry());
      (appended.after as { status: string }).status = 'tampered';
      const listed = (await log.list({})).items[0]!;
      (listed.before as { status: string }).status = 'tampered';
      expect((await log.list({})).items[0]).toMatchObject({ before: { status: 'pending' }, after: { status: 'approved' } });
    });
  });
});
