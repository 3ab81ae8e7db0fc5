import { describe, expect, it } from 'vitest';
import type { ApplicationForm } from '../../service/domain/applications/model.js';
import { matchApplication } from '../../service/domain/registry/match.js';
import type { MatchReport, StudentRecord } from '../../service/domain/registry/model.js';
import { studentRecord } from '../support/factories.js';
import { registryHarness, studentRow, studentsCsv } from '../support/registry-fixtures.js';

function record(overrides: Partial<StudentRecord> = {}): StudentRecord {
  return studentRecord({
    studentId: '5251004',
    nameKanji: '高橋 美咲',
    nameKana: 'タカハシ ミサキ',
    nameRoman: 'Misaki Takahashi',
    birthDate: '2001-07-08',
    facultyCode: 'GSE',
    facultyName: { ja: '大学院工学研究科', en: 'Graduate School of Engineering' },
    departmentCode: 'INFS',
    departmentName: { ja: '情報工学専攻', en: 'Information Engineering Course' },
    enrollmentDate: '2024-04-01',
    status: 'graduated',
    graduationDate: '2026-03-31',
    degree: { ja: '修士(工学)', en: 'Master of Engineering' },
    ...overrides,
  });
}

function form(overrides: Partial<ApplicationForm> = {}): ApplicationForm {
  return {
    nameKanji: '高橋 美咲',
    nameKana: 'タカハシ ミサキ',
    nameRoman: 'Misaki Takahashi',
    universityCode: 'DEMO',
    facultyCode: 'GSE',
    departmentCode: 'INFS',
    studentId: '5251004',
    graduationYearMonth: '2026-03',
    leaveType: 'graduated',
    ...overrides,
  };
}

const results = (report: MatchReport) => Object.fromEntries(report.fields.map((f) => [f.field, f.result]));

describe('the matching aid', () => {
  it('matches every field of an application that agrees with the registry', () => {
    const report = matchApplication(form(), record());
    expect(report.allMatch).toBe(true);
    expect(report.fields.map((f) => f.field)).toEqual([
      'studentId',
      'nameKanji',
      'nameKana',
      'nameRoman',
      'universityCode',
      'facultyCode',
      'departmentCode',
      'graduationYearMonth',
      'leaveType',
    ]);
  });

  it('treats names as equal after width and space normalisation, roman names without case', () => {
    const report = matchApplication(
      form({ nameKanji: '高橋　美咲', nameKana: 'ﾀｶﾊｼ  ﾐｻｷ', nameRoman: 'MISAKI  takahashi', studentId: '５２５１００４' }),
      record(),
    );
    expect(report.allMatch).toBe(true);
    expect(report.fields.find((f) => f.field === 'nameRoman')).toEqual({
      field: 'nameRoman',
      result: 'match',
      applied: 'MISAKI takahashi',
      registry: 'Misaki Takahashi',
    });
  });

  it('takes a roman name written family name first as the same name', () => {
    const report = matchApplication(form({ nameRoman: 'Takahashi Misaki' }), record());
    expect(report.fields.find((f) => f.field === 'nameRoman')?.result).toBe('match');
    expect(matchApplication(form({ nameRoman: 'Takahashi Misato' }), record()).fields.find((f) => f.field === 'nameRoman')?.result).toBe('mismatch');
  });

  it('shows the registry value of each field that differs', () => {
    const report = matchApplication(form({ nameKanji: '高橋 美紀', departmentCode: 'INF', graduationYearMonth: '2026-09', leaveType: 'withdrawn' }), record());
    expect(report.allMatch).toBe(false);
    expect(report.fields.filter((f) => f.result === 'mismatch')).toEqual([
      { field: 'nameKanji', result: 'mismatch', applied: '高橋 美紀', registry: '高橋 美咲' },
      { field: 'departmentCode', result: 'mismatch', applied: 'INF', registry: 'INFS' },
      { field: 'graduationYearMonth', result: 'mismatch', applied: '2026-09', registry: '2026-03' },
      { field: 'leaveType', result: 'mismatch', applied: 'withdrawn', registry: 'graduated' },
    ]);
  });

  it('pairs each leave type with its status only', () => {
    expect(results(matchApplication(form({ leaveType: 'withdrawn' }), record({ status: 'withdrawn' }))).leaveType).toBe('match');
    expect(results(matchApplication(form({ leaveType: 'removed' }), record({ status: 'removed' }))).leaveType).toBe('match');
    expect(results(matchApplication(form({ leaveType: 'graduated' }), record({ status: 'enrolled' }))).leaveType).toBe('mismatch');
  });

  it('does not match a graduation month the registry does not know', () => {
    const field = matchApplication(form(), record({ graduationDate: null })).fields.find((f) => f.field === 'graduationYearMonth');
    expect(field).toEqual({ field: 'graduationYearMonth', result: 'mismatch', applied: '2026-03', registry: null });
  });

  it('says "no record" for every field when the student ID is not in the registry', () => {
    const report = matchApplication(form(), null);
    expect(report.record).toBeNull();
    expect(new Set(report.fields.map((f) => f.result))).toEqual(new Set(['noRecord']));
  });

  it('is offered by the registry service for an application form', async () => {
    const { registry } = await registryHarness();
    const csv = studentsCsv([studentRow({ student_id: '1900100' })]);
    const preview = await registry.previewImport('students', csv, { type: 'system', id: 'system', name: 'system' });
    await registry.commitImport('students', csv, preview.hash!, { type: 'system', id: 'system', name: 'system' });
    const report = await registry.match(
      form({
        studentId: '1900100',
        nameKanji: '山田 太郎',
        nameKana: 'ヤマダ タロウ',
        nameRoman: 'Taro Yamada',
        facultyCode: 'ENG',
        departmentCode: 'INF',
        graduationYearMonth: '2023-03',
      }),
    );
    expect(report.allMatch).toBe(true);
    expect((await registry.match(form({ studentId: '0000000' }))).fields[0]!.result).toBe('noRecord');
  });
});
