/**
 * What the application and registry ports promise, run against every adapter family: lowdb
 * files and a real PostgreSQL. Searches go through the domain's folding on both sides, so a
 * query typed in any width or kana finds the same records on either.
 */
import { describe, expect, it } from 'vitest';
import { openPostgresRegistryStore } from '../../service/adapters/postgres/registry-store.js';
import type { Application, ApplicationForm } from '../../service/domain/applications/model.js';
import { foldApplicationSearch } from '../../service/domain/applications/search.js';
import type { Account } from '../../service/domain/model.js';
import type { GradeRecord, StudentRecord } from '../../service/domain/registry/model.js';
import { foldForSearch, searchable, type SearchableStudent } from '../../service/domain/registry/search.js';
import { account, studentRecord } from '../support/factories.js';
import { useStoreFamilies, type PortFamily } from '../support/store-families.js';

const T0 = Date.parse('2026-04-01T09:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

let serial = 0;
const form = (over: Partial<ApplicationForm> = {}): ApplicationForm => ({
  nameKanji: '佐藤 花子',
  nameKana: 'サトウ ハナコ',
  nameRoman: 'Sato Hanako',
  universityCode: 'DEMO',
  facultyCode: 'GSE',
  departmentCode: 'INFOM',
  studentId: '5250001',
  graduationYearMonth: '2027-03',
  leaveType: 'graduated',
  ...over,
});
const application = (owner: Account, over: Partial<Application> = {}): Application => {
  serial += 1;
  const createdAt = over.createdAt ?? at(serial);
  return {
    id: `app-${String(serial).padStart(4, '0')}`,
    kind: 'studentId',
    accountId: owner.id,
    status: 'pending',
    form: form(),
    mail: 'hanako@example.jp',
    language: 'ja',
    reason: null,
    createdAt,
    updatedAt: createdAt,
    decidedAt: null,
    decidedBy: null,
    history: [{ at: createdAt, action: 'submitted', actor: owner.id, reason: null }],
    ...over,
  };
};

const student = (over: Partial<StudentRecord> = {}): SearchableStudent => {
  serial += 1;
  return searchable(
    studentRecord({
      studentId: `19${String(serial).padStart(5, '0')}`,
      nameKanji: '山田 太郎',
      nameKana: 'ヤマダ タロウ',
      nameRoman: 'YAMADA Taro',
      birthDate: '2000-05-14',
      enrollmentDate: '2019-04-01',
      status: 'graduated',
      graduationDate: '2023-03-31',
      degree: { ja: '学士(工学)', en: 'Bachelor of Engineering' },
      updatedAt: at(0),
      ...over,
    }),
  );
};
const grade = (studentId: string, over: Partial<GradeRecord> = {}): GradeRecord => ({
  studentId,
  courseCode: 'IE101',
  title: { ja: 'プログラミング入門', en: 'Introduction to Programming' },
  credits: 2,
  grade: 'A',
  term: '2019-1',
  ...over,
});
const withoutKey = ({ searchKey: _key, ...s }: SearchableStudent): StudentRecord => s;
const ids = (items: { id: string }[]) => items.map((a) => a.id);
const studentIds = (items: { studentId: string }[]) => items.map((s) => s.studentId);

/** The family's ports with one applicant account stored (applications reference accounts). */
async function withApplicant(family: { open(): Promise<PortFamily> }) {
  const ports = await family.open();
  const owner = account();
  await ports.store.accounts.insert(owner);
  return { ...ports, owner };
}

const families = useStoreFamilies();

describe.each(families)('applications and registry over $name', (family) => {
  describe('applications', () => {
    it('inserts, gets with the history, and lists an account’s applications newest first', async () => {
      const { applications, store, owner } = await withApplicant(family);
      const other = account();
      await store.accounts.insert(other);
      const first = application(owner);
      const second = application(owner, { kind: 'graduate', language: 'en' });
      const foreign = application(other);
      for (const a of [first, second, foreign]) await applications.insert(a);
      expect(await applications.get(first.id)).toEqual(first);
      expect(await applications.get('nobody')).toBeNull();
      expect(await applications.listForAccount(owner.id)).toEqual([second, first]);
      expect(await applications.listForAccount('nobody')).toEqual([]);
    });

    it('updates only while the status and updatedAt are as read, and can put a decision back', async () => {
      const { applications, owner } = await withApplicant(family);
      const a = application(owner);
      await applications.insert(a);
      const decision = {
        status: 'resubmit' as const,
        reason: '氏名を確認してください。',
        updatedAt: at(100),
        decidedAt: at(100),
        decidedBy: 'staff-1',
        history: [...a.history, { at: at(100), action: 'resubmit' as const, actor: 'staff-1', reason: '氏名を確認してください。' }],
      };
      const decided = { ...a, ...decision };
      expect(await applications.update(a.id, { status: 'pending', updatedAt: a.updatedAt }, decision)).toEqual(decided);
      expect(await applications.get(a.id)).toEqual(decided);
      // A decision read before this one, and an unknown application.
      expect(await applications.update(a.id, { status: 'pending', updatedAt: a.updatedAt }, { status: 'approved' })).toBeNull();
      expect(await applications.update(a.id, { status: 'resubmit', updatedAt: a.updatedAt }, { status: 'approved' })).toBeNull();
      expect(await applications.update('nobody', { status: 'pending', updatedAt: a.updatedAt }, { status: 'approved' })).toBeNull();
      expect(await applications.get(a.id)).toEqual(decided);
      // The undo of a decision whose listener failed: everything as before, history included.
      const { id: _id, ...undone } = a;
      expect(await applications.update(a.id, { status: 'resubmit', updatedAt: at(100) }, undone)).toEqual(a);
      expect(await applications.get(a.id)).toEqual(a);
    });

    it('takes a resubmission with its new form and decides the new submission again', async () => {
      const { applications, owner } = await withApplicant(family);
      const a = application(owner);
      await applications.insert(a);
      const asked = { at: at(100), action: 'resubmit' as const, actor: 'staff-1', reason: '氏名' };
      const r1 = await applications.update(
        a.id,
        { status: 'pending', updatedAt: a.updatedAt },
        { status: 'resubmit', reason: '氏名', updatedAt: at(100), decidedAt: at(100), decidedBy: 'staff-1', history: [...a.history, asked] },
      );
      const again = { at: at(101), action: 'resubmitted' as const, actor: owner.id, reason: null };
      const edited = form({ nameKanji: '佐藤 華子', nameRoman: 'Sato Hanako' });
      const r2 = await applications.update(
        a.id,
        { status: 'resubmit', updatedAt: r1!.updatedAt },
        { status: 'pending', form: edited, updatedAt: at(101), history: [...r1!.history, again] },
      );
      expect(r2).toMatchObject({ status: 'pending', form: edited });
      const approved = { at: at(102), action: 'approved' as const, actor: 'staff-2', reason: null };
      const r3 = await applications.update(
        a.id,
        { status: 'pending', updatedAt: at(101) },
        { status: 'approved', reason: null, updatedAt: at(102), decidedAt: at(102), decidedBy: 'staff-2', history: [...r2!.history, approved] },
      );
      expect(r3?.history.map((e) => e.action)).toEqual(['submitted', 'resubmit', 'resubmitted', 'approved']);
      expect(await applications.get(a.id)).toEqual(r3);
      // The search key follows the form.
      expect(ids((await applications.list({ searchKeyContains: foldApplicationSearch('華子') })).items)).toEqual([a.id]);
      expect((await applications.list({ searchKeyContains: foldApplicationSearch('花子') })).total).toBe(0);
    });

    it('searches by the new mail address after a change of the mail alone, still by the form', async () => {
      const { applications, owner } = await withApplicant(family);
      const a = application(owner);
      await applications.insert(a);
      expect(await applications.update(a.id, { status: 'pending', updatedAt: a.updatedAt }, { mail: 'Hanako.Sato@Example.jp' })).toEqual({
        ...a,
        mail: 'Hanako.Sato@Example.jp',
      });
      const search = async (q: string) => ids((await applications.list({ searchKeyContains: foldApplicationSearch(q) })).items);
      expect(await search('hanako.sato@')).toEqual([a.id]);
      expect(await search('hanako@example')).toEqual([]);
      expect(await search('サトウハナコ')).toEqual([a.id]);
      expect(await search('5250001')).toEqual([a.id]);
    });

    it('lets exactly one of 20 simultaneous conditional updates of one application win', async () => {
      const { applications, owner } = await withApplicant(family);
      const a = application(owner);
      await applications.insert(a);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          applications.update(
            a.id,
            { status: 'pending', updatedAt: a.updatedAt },
            {
              status: i % 2 ? 'approved' : 'rejected',
              reason: `staff-${i}`,
              updatedAt: at(200 + i),
              decidedAt: at(200 + i),
              decidedBy: `staff-${i}`,
              history: [...a.history, { at: at(200 + i), action: i % 2 ? 'approved' : 'rejected', actor: `staff-${i}`, reason: `staff-${i}` }],
            },
          ),
        ),
      );
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      expect(await applications.get(a.id)).toEqual(winners[0]);
      expect((await applications.get(a.id))?.history).toHaveLength(2);
    });

    it('lists for staff newest first (ties by id), filtered by status and kind, searched by the folded key, paged', async () => {
      const { applications, owner } = await withApplicant(family);
      const first = application(owner, { createdAt: at(10), mail: 'hanako@example.jp' });
      const second = application(owner, {
        createdAt: at(20),
        form: form({ studentId: '5250002', nameKanji: '佐藤 花', nameKana: 'サトウ ハナ', nameRoman: 'Sato Hana' }),
      });
      const sameTime = application(owner, {
        createdAt: at(20),
        kind: 'graduate',
        status: 'approved',
        mail: 'YAMADA@Example.jp',
        form: form({ studentId: 'A0001', nameKanji: '山田 太郎', nameKana: 'ヤマダ タロウ', nameRoman: 'Yamada Taro' }),
      });
      for (const a of [first, second, sameTime]) await applications.insert(a);
      expect(ids((await applications.list({})).items)).toEqual([sameTime.id, second.id, first.id]);
      expect(ids((await applications.list({ status: 'pending' })).items)).toEqual([second.id, first.id]);
      expect(ids((await applications.list({ kind: 'graduate' })).items)).toEqual([sameTime.id]);
      const search = (q: string) => applications.list({ searchKeyContains: foldApplicationSearch(q) });
      expect(ids((await search('５２５０００２')).items)).toEqual([second.id]);
      expect(ids((await search('sato hanako')).items)).toEqual([first.id]);
      expect(ids((await search('山田　太郎')).items)).toEqual([sameTime.id]);
      expect(ids((await search('ｙａｍａｄａ@example')).items)).toEqual([sameTime.id]);
      expect((await search('hanako@example')).total).toBe(2);
      // A query never matches across two fields (the key has one a line).
      expect((await search('taroyamada')).total).toBe(0);
      expect(await applications.list({ limit: 1, offset: 1 })).toEqual({ total: 3, items: [second] });
      expect(await applications.list({ offset: 10 })).toEqual({ total: 3, items: [] });
      expect(await applications.list({ status: 'rejected' })).toEqual({ total: 0, items: [] });
    });
  });

  describe('registry', () => {
    it('upserts students by ID and reads them without the search key', async () => {
      const { registry } = await family.open();
      const [a, b] = [student(), student({ status: 'enrolled', graduationDate: null, degree: null })];
      await registry.upsertStudents([a, b]);
      expect(await registry.getStudent(a.studentId)).toEqual(withoutKey(a));
      expect(await registry.getStudent('nobody')).toBeNull();
      expect((await registry.getStudents([b.studentId, 'nobody', a.studentId, b.studentId])).sort((x, y) => x.studentId.localeCompare(y.studentId))).toEqual([
        withoutKey(a),
        withoutKey(b),
      ]);
      expect(await registry.getStudents([])).toEqual([]);
      const moved = searchable({ ...withoutKey(a), nameKanji: '山田 次郎', status: 'withdrawn', updatedAt: at(5) });
      await registry.upsertStudents([moved]);
      expect(await registry.getStudent(a.studentId)).toEqual(withoutKey(moved));
      await registry.upsertStudents([]);
    });

    it('finds the same students by any width, kana or case of a name or ID, by student ID, paged', async () => {
      const { registry } = await family.open();
      const yamada = student({ studentId: '2300002' });
      const yamaguchi = student({ studentId: '2300001', nameKanji: '山口 花子', nameKana: 'ヤマグチ ハナコ', nameRoman: 'YAMAGUCHI Hanako' });
      const sato = student({ studentId: 'B300003', nameKanji: '佐藤 一郎', nameKana: 'サトウ イチロウ', nameRoman: 'SATO Ichiro' });
      await registry.upsertStudents([sato, yamada, yamaguchi]);
      const search = async (q: string, page: { offset?: number; limit?: number } = {}) => {
        const r = await registry.searchStudents({ searchKeyContains: foldForSearch(q), ...page });
        return { total: r.total, ids: studentIds(r.items) };
      };
      for (const q of ['ﾔﾏﾀﾞ', 'やまだ', 'ヤマダ', 'yamada', 'ＹＡＭＡＤＡ', '山田太郎', '山田　太郎', '2300002']) {
        expect(await search(q), q).toEqual({ total: 1, ids: ['2300002'] });
      }
      expect(await search('ﾔﾏ')).toEqual({ total: 2, ids: ['2300001', '2300002'] });
      expect(await search('２３０００')).toEqual({ total: 2, ids: ['2300001', '2300002'] });
      expect(await search('b3')).toEqual({ total: 1, ids: ['B300003'] });
      expect(await search('')).toEqual({ total: 3, ids: ['2300001', '2300002', 'B300003'] });
      expect(await search('', { offset: 1, limit: 1 })).toEqual({ total: 3, ids: ['2300002'] });
      expect(await search('', { offset: 5 })).toEqual({ total: 3, ids: [] });
      expect(await search('鈴木')).toEqual({ total: 0, ids: [] });
      expect((await registry.searchStudents({ searchKeyContains: foldForSearch('yamada') })).items).toEqual([withoutKey(yamada)]);
    });

    it('gives one catalogue record per department: its most recently imported student', async () => {
      const { registry } = await family.open();
      const older = student({ studentId: '1000001', updatedAt: at(1), departmentName: { ja: '旧名', en: 'Old' } });
      const newer = student({ studentId: '1000002', updatedAt: at(2), departmentName: { ja: '情報学科', en: 'Informatics' } });
      // Same import time: the later enrolment, then the greater ID.
      const sameTime = [
        student({ studentId: '2000009', departmentCode: 'MEC', updatedAt: at(3), enrollmentDate: '2019-04-01' }),
        student({ studentId: '2000001', departmentCode: 'MEC', updatedAt: at(3), enrollmentDate: '2020-04-01' }),
      ];
      const tie = [
        student({ studentId: '3000001', facultyCode: 'SCI', updatedAt: at(3) }),
        student({ studentId: '3000002', facultyCode: 'SCI', updatedAt: at(3) }),
      ];
      await registry.upsertStudents([newer, older, ...sameTime, ...tie]);
      const units = (await registry.catalogueUnits()).sort((a, b) => a.studentId.localeCompare(b.studentId));
      expect(studentIds(units)).toEqual(['1000002', '2000001', '3000002']);
      expect(units[0]).toEqual({
        studentId: '1000002',
        updatedAt: at(2),
        enrollmentDate: '2019-04-01',
        universityCode: 'DEMO',
        universityName: newer.universityName,
        facultyCode: 'ENG',
        facultyName: newer.facultyName,
        departmentCode: 'INF',
        departmentName: { ja: '情報学科', en: 'Informatics' },
      });
    });

    it('replaces a student’s grades whole, reads them by term and course, and refuses a grade of another student', async () => {
      const { registry } = await family.open();
      const [a, b] = [student(), student()];
      await registry.upsertStudents([a, b]);
      const aGrades = [
        grade(a.studentId, { courseCode: 'IE201', term: '2020-1', credits: 1.5 }),
        grade(a.studentId),
        grade(a.studentId, { courseCode: 'IE102' }),
      ];
      await registry.replaceGrades([a.studentId, b.studentId], [...aGrades, grade(b.studentId)]);
      expect(await registry.gradesOf(a.studentId)).toEqual([aGrades[1], aGrades[2], aGrades[0]]);
      expect(await registry.gradesOf('nobody')).toEqual([]);
      expect((await registry.gradesOfStudents([a.studentId, b.studentId, a.studentId])).length).toBe(4);
      await registry.replaceGrades([a.studentId], [grade(a.studentId, { grade: 'S' })]);
      expect(await registry.gradesOf(a.studentId)).toEqual([grade(a.studentId, { grade: 'S' })]);
      expect(await registry.gradesOf(b.studentId)).toEqual([grade(b.studentId)]);
      await expect(registry.replaceGrades([a.studentId], [grade(b.studentId)])).rejects.toThrow(/not among the replaced/);
      expect(await registry.gradesOf(b.studentId)).toEqual([grade(b.studentId)]);
      await registry.replaceGrades([], []);
      expect(await registry.gradesOfStudents([])).toEqual([]);
    });
  });
});

describe('PostgreSQL registry imports', () => {
  it('store all N students of an import or, when one row violates a constraint, none of them', async () => {
    const registry = openPostgresRegistryStore(await families[1].database());
    const kept = student();
    await registry.upsertStudents([kept]);
    // More rows than one INSERT takes, the bad one in the last statement.
    const rows = Array.from({ length: 4500 }, () => student());
    const bad = { ...rows[4400]!, status: 'graduate' } as unknown as SearchableStudent;
    const changedKept = searchable({ ...withoutKey(kept), nameKanji: '変更 済' });
    await expect(registry.upsertStudents([changedKept, ...rows.slice(0, 4400), bad, ...rows.slice(4401)])).rejects.toThrow();
    expect((await registry.searchStudents({})).total).toBe(1);
    expect(await registry.getStudent(kept.studentId)).toEqual(withoutKey(kept));
    await registry.upsertStudents(rows);
    expect((await registry.searchStudents({})).total).toBe(4501);
  });

  it('replace grades all or nothing too', async () => {
    const registry = openPostgresRegistryStore(await families[1].database());
    const s = student();
    await registry.upsertStudents([s]);
    await registry.replaceGrades([s.studentId], [grade(s.studentId)]);
    await expect(registry.replaceGrades([s.studentId], [grade(s.studentId, { courseCode: 'IE999' }), grade(s.studentId, { credits: -1 })])).rejects.toThrow();
    expect(await registry.gradesOf(s.studentId)).toEqual([grade(s.studentId)]);
  });
});
