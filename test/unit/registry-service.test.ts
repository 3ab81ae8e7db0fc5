import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY_FILES } from '../../service/adapters/lowdb/registry-store.js';
import type { ImportKind } from '../../service/domain/registry/model.js';
import { DEMO_FILES, type AuditActor } from '../../service/features/registry.js';
import type { RegistryService } from '../../service/features/registry.js';
import { gradeRow, gradesCsv, registryHarness, studentRow, studentsCsv } from '../support/registry-fixtures.js';

const admin: AuditActor = { type: 'staff', id: 'staff-1', name: 'Admin One' };

async function importCsv(registry: RegistryService, kind: ImportKind, csv: string) {
  const preview = await registry.previewImport(kind, csv, admin);
  expect(preview.errors).toEqual([]);
  return registry.commitImport(kind, csv, preview.hash!, admin);
}

const fileText = (dataDir: string, file: string) => readFile(path.join(dataDir, file), 'utf8').catch(() => null);

describe('registry import', () => {
  it('previews added students without writing anything, then commits on the second call', async () => {
    const { registry, dataDir } = await registryHarness();
    const csv = studentsCsv([studentRow({ student_id: '1900001' }), studentRow({ student_id: '1900002', name_kanji: '佐藤 花子' })]);

    const preview = await registry.previewImport('students', csv, admin);
    expect(preview).toMatchObject({ kind: 'students', rows: 2, counts: { added: 2, updated: 0, unchanged: 0 }, errorCount: 0 });
    expect(preview.hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(preview.added.map((a) => a.studentId)).toEqual(['1900001', '1900002']);
    expect(await registry.getStudent('1900001')).toBeNull();
    expect(await fileText(dataDir, REGISTRY_FILES.students)).toBeNull();

    const result = await registry.commitImport('students', csv, preview.hash!, admin);
    expect(result.counts).toEqual({ added: 2, updated: 0, unchanged: 0 });
    expect(await registry.getStudent('1900002')).toMatchObject({ nameKanji: '佐藤 花子', updatedAt: '2026-04-01T09:00:00.000Z' });
  });

  it('keeps the imported students on disk for the next process', async () => {
    const h = await registryHarness();
    await importCsv(h.registry, 'students', studentsCsv([studentRow({ student_id: '1900003' })]));
    const again = await h.reopen();
    expect(await again.getStudent('1900003')).toMatchObject({ studentId: '1900003' });
  });

  it('changes nothing when one line of the file is bad, and cannot be committed', async () => {
    const { registry, dataDir } = await registryHarness();
    await importCsv(registry, 'students', studentsCsv([studentRow({ student_id: '1900010', name_kanji: '山田 太郎' })]));
    const before = await fileText(dataDir, REGISTRY_FILES.students);

    const csv = studentsCsv([
      studentRow({ student_id: '1900010', name_kanji: '山田 次郎' }),
      studentRow({ student_id: '1900011' }),
      studentRow({ student_id: '1900012', birth_date: '2001-02-30' }),
    ]);
    const preview = await registry.previewImport('students', csv, admin);
    expect(preview.hash).toBeNull();
    expect(preview.errors).toEqual([{ line: 4, column: 'birth_date', code: 'date.invalid', params: { value: '2001-02-30' } }]);
    await expect(registry.commitImport('students', csv, 'x'.repeat(43), admin)).rejects.toMatchObject({ code: 'registry.importInvalid' });

    expect(await fileText(dataDir, REGISTRY_FILES.students)).toBe(before);
    expect(await registry.getStudent('1900010')).toMatchObject({ nameKanji: '山田 太郎' });
    expect(await registry.getStudent('1900011')).toBeNull();
  });

  it('updates existing students by student ID and adds new ones on re-import, with field-level changes', async () => {
    const { registry, clock } = await registryHarness();
    const first = studentRow({ student_id: '1900020', status: 'enrolled', graduation_date: '2023-03-31' });
    const other = studentRow({ student_id: '1900021' });
    await importCsv(registry, 'students', studentsCsv([first, other]));

    clock.advance(3600);
    const csv = studentsCsv([{ ...first, status: 'graduated', name_kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' }, other, studentRow({ student_id: '1900022' })]);
    const preview = await registry.previewImport('students', csv, admin);
    expect(preview.counts).toEqual({ added: 1, updated: 1, unchanged: 1 });
    expect(preview.updated).toEqual([{ studentId: '1900020', nameKanji: '山田 太郎', changes: [{ field: 'status', before: 'enrolled', after: 'graduated' }] }]);
    await registry.commitImport('students', csv, preview.hash!, admin);

    expect(await registry.getStudent('1900020')).toMatchObject({ status: 'graduated', updatedAt: '2026-04-01T10:00:00.000Z' });
    // Unchanged students keep their time of last change.
    expect(await registry.getStudent('1900021')).toMatchObject({ updatedAt: '2026-04-01T09:00:00.000Z' });
    expect(await registry.getStudent('1900022')).not.toBeNull();
  });

  it('refuses a commit whose file differs from the preview', async () => {
    const { registry } = await registryHarness();
    const csv = studentsCsv([studentRow({ student_id: '1900030' })]);
    const preview = await registry.previewImport('students', csv, admin);
    const changed = studentsCsv([studentRow({ student_id: '1900031' })]);
    await expect(registry.commitImport('students', changed, preview.hash!, admin)).rejects.toMatchObject({ code: 'registry.previewStale' });
    expect(await registry.getStudent('1900031')).toBeNull();
  });

  it('refuses a commit when the registry changed since the preview', async () => {
    const { registry } = await registryHarness();
    const row = studentRow({ student_id: '1900040', status: 'enrolled' });
    await importCsv(registry, 'students', studentsCsv([row]));
    const csv = studentsCsv([{ ...row, status: 'withdrawn' }]);
    const preview = await registry.previewImport('students', csv, admin);
    await importCsv(registry, 'students', studentsCsv([{ ...row, status: 'removed' }]));
    await expect(registry.commitImport('students', csv, preview.hash!, admin)).rejects.toMatchObject({ code: 'registry.previewStale' });
    expect(await registry.getStudent('1900040')).toMatchObject({ status: 'removed' });
  });

  it('writes one audit entry per commit with the counts and each student before and after', async () => {
    const { registry, audit } = await registryHarness();
    const row = studentRow({ student_id: '1900050', status: 'enrolled' });
    await importCsv(registry, 'students', studentsCsv([row]));
    const result = await importCsv(registry, 'students', studentsCsv([{ ...row, status: 'graduated' }]));

    const { items } = await audit.list({ action: 'registry.students.imported' });
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      id: result.auditId,
      actor: admin,
      action: 'registry.students.imported',
      target: { type: 'registry', id: 'students' },
      before: { '1900050': { status: 'enrolled' } },
      after: { counts: { added: 0, updated: 1, unchanged: 0 }, rows: 1, students: { '1900050': { status: 'graduated' } }, omittedStudents: 0 },
    });
  });

  it('imports grades of registered students only after the students, replacing each named student’s grades', async () => {
    const { registry, audit } = await registryHarness();
    await importCsv(registry, 'students', studentsCsv([studentRow({ student_id: '1900060' }), studentRow({ student_id: '1900061' })]));
    await importCsv(registry, 'grades', gradesCsv([gradeRow('1900060'), gradeRow('1900060', { course_code: 'IE102', term: '2019-2' }), gradeRow('1900061')]));
    expect((await registry.gradesOf('1900060')).map((g) => g.courseCode)).toEqual(['IE101', 'IE102']);

    // The second file names only 1900060: IE102 is dropped, IE101's grade changes, 1900061 keeps its grades.
    const csv = gradesCsv([gradeRow('1900060', { grade: 'S' })]);
    const preview = await registry.previewImport('grades', csv, admin);
    expect(preview.counts).toEqual({ added: 0, updated: 1, unchanged: 0 });
    expect(preview.updated[0]).toMatchObject({
      studentId: '1900060',
      changes: [
        { courseCode: 'IE101', term: '2019-1', before: { grade: 'A' }, after: { grade: 'S' } },
        { courseCode: 'IE102', term: '2019-2', after: null },
      ],
    });
    await registry.commitImport('grades', csv, preview.hash!, admin);
    expect(await registry.gradesOf('1900060')).toEqual([
      {
        studentId: '1900060',
        courseCode: 'IE101',
        title: { ja: 'プログラミング入門', en: 'Introduction to Programming' },
        credits: 2,
        grade: 'S',
        term: '2019-1',
      },
    ]);
    expect(await registry.gradesOf('1900061')).toHaveLength(1);
    expect((await audit.list({ action: 'registry.grades.imported' })).items[0]).toMatchObject({
      after: { counts: { added: 0, updated: 1, unchanged: 0 } },
    });
  });

  it('leaves the grades unchanged when a grades file names an unknown student', async () => {
    const { registry } = await registryHarness();
    await importCsv(registry, 'students', studentsCsv([studentRow({ student_id: '1900070' })]));
    await importCsv(registry, 'grades', gradesCsv([gradeRow('1900070')]));
    const csv = gradesCsv([gradeRow('1900070', { grade: 'C' }), gradeRow('1900079')]);
    const preview = await registry.previewImport('grades', csv, admin);
    expect(preview.errors.map((e) => [e.line, e.code])).toEqual([[3, 'grade.unknownStudent']]);
    expect((await registry.gradesOf('1900070'))[0]!.grade).toBe('A');
  });
});

describe('registry catalogue and search', () => {
  it('derives universities, faculties and departments with ja/en names, sorted by code', async () => {
    const { registry } = await registryHarness();
    await importCsv(
      registry,
      'students',
      studentsCsv([
        studentRow({ department_code: 'MEC', department_ja: '機械工学科', department_en: 'Department of Mechanical Engineering' }),
        studentRow(),
        studentRow({
          faculty_code: 'LIT',
          faculty_ja: '文学部',
          faculty_en: 'Faculty of Letters',
          department_code: 'JPN',
          department_ja: '日本文学科',
          department_en: 'Department of Japanese Literature',
        }),
      ]),
    );
    expect(await registry.catalogue()).toEqual([
      {
        code: 'DEMO',
        name: { ja: 'デモ大学', en: 'Demo University' },
        faculties: [
          {
            code: 'ENG',
            name: { ja: '工学部', en: 'Faculty of Engineering' },
            departments: [
              { code: 'INF', name: { ja: '情報工学科', en: 'Department of Information Engineering' } },
              { code: 'MEC', name: { ja: '機械工学科', en: 'Department of Mechanical Engineering' } },
            ],
          },
          {
            code: 'LIT',
            name: { ja: '文学部', en: 'Faculty of Letters' },
            departments: [{ code: 'JPN', name: { ja: '日本文学科', en: 'Department of Japanese Literature' } }],
          },
        ],
      },
    ]);
  });

  it('uses the latest import’s name when a department was renamed', async () => {
    const { registry, clock } = await registryHarness();
    await importCsv(registry, 'students', studentsCsv([studentRow({ student_id: '1900080' })]));
    clock.advance(60);
    await importCsv(
      registry,
      'students',
      studentsCsv([studentRow({ student_id: '1900081', department_ja: '情報科学科', department_en: 'Department of Information Science' })]),
    );
    const departments = (await registry.catalogue())[0]!.faculties[0]!.departments;
    expect(departments).toEqual([{ code: 'INF', name: { ja: '情報科学科', en: 'Department of Information Science' } }]);
  });

  it('finds students by ID or any name, ignoring width, spaces, case and hiragana vs katakana', async () => {
    const { registry } = await registryHarness();
    await importCsv(
      registry,
      'students',
      studentsCsv([
        studentRow({ student_id: '1900090' }),
        studentRow({ student_id: '1900091', name_kanji: '佐藤 花子', name_kana: 'サトウ ハナコ', name_roman: 'Hanako Sato' }),
      ]),
    );
    const ids = async (search: string) => (await registry.search({ search })).items.map((s) => s.studentId);
    expect(await ids('１９０００９１')).toEqual(['1900091']);
    expect(await ids('佐藤花子')).toEqual(['1900091']);
    expect(await ids('さとう')).toEqual(['1900091']);
    expect(await ids('hanako SATO')).toEqual(['1900091']);
    expect(await ids('')).toEqual(['1900090', '1900091']);
    expect(await registry.search({ offset: 1, limit: 1 })).toMatchObject({ total: 2, items: [{ studentId: '1900091' }] });
  });
});

describe('demo registry', () => {
  it('is imported at start in demo mode, as the system, with the demo IdP users’ IDs and names', async () => {
    const { registry, audit } = await registryHarness({ demo: true });
    const users = JSON.parse(await readFile(path.join(path.dirname(DEMO_FILES.students), 'idp-users.json'), 'utf8')) as {
      studentId: string;
      graduateStudentId?: string;
      nameKanji: string;
      nameKana: string;
      nameRoman: string;
    }[];
    for (const u of users) {
      for (const id of [u.studentId, u.graduateStudentId].filter((x): x is string => x !== undefined)) {
        expect(await registry.getStudent(id), id).toMatchObject({ nameKanji: u.nameKanji, nameKana: u.nameKana, nameRoman: u.nameRoman });
      }
    }
    const withTwo = users.find((u) => u.graduateStudentId)!;
    const [undergraduate, graduate] = [await registry.getStudent(withTwo.studentId), await registry.getStudent(withTwo.graduateStudentId!)];
    expect(graduate!.facultyCode).not.toBe(undergraduate!.facultyCode);

    const { items } = await audit.list({ action: 'registry.' });
    expect(items.map((e) => [e.action, e.actor.type])).toEqual([
      ['registry.grades.imported', 'system'],
      ['registry.students.imported', 'system'],
    ]);
    const gradeCounts = await Promise.all(users.map(async (u) => (await registry.gradesOf(u.studentId)).length));
    expect(Math.max(...gradeCounts)).toBeGreaterThanOrEqual(10);
    expect((await registry.search({})).items.some((s) => s.status === 'graduated' && s.graduationDate?.startsWith('2019'))).toBe(true);
  });

  it('is not imported again when the registry has students', async () => {
    const h = await registryHarness({ demo: true });
    await h.reopen();
    expect((await h.audit.list({ action: 'registry.students.imported' })).total).toBe(1);
  });
});
