import { describe, expect, it } from 'vitest';
import { parseApplicationForm } from '../../service/shared/application-form.js';
import type { CatalogueUniversity } from '../../service/domain/registry/model.js';

const catalogue: CatalogueUniversity[] = [
  {
    code: 'DEMO',
    name: { ja: 'デモ大学', en: 'Demo University' },
    faculties: [
      {
        code: 'ENG',
        name: { ja: '工学部', en: 'Faculty of Engineering' },
        departments: [{ code: 'INFO', name: { ja: '情報工学科', en: 'Information Engineering' } }],
      },
      {
        code: 'GSE',
        name: { ja: '工学研究科', en: 'Graduate School of Engineering' },
        departments: [{ code: 'INFOM', name: { ja: '情報工学専攻', en: 'Information Engineering (Master)' } }],
      },
    ],
  },
];
const now = new Date('2026-04-01T09:00:00Z');

const valid = {
  nameKanji: '高橋 美咲',
  nameKana: 'タカハシ ミサキ',
  nameRoman: 'Takahashi Misaki',
  universityCode: 'DEMO',
  facultyCode: 'GSE',
  departmentCode: 'INFOM',
  studentId: '5251004',
  graduationYearMonth: '2027-03',
  leaveType: 'graduated',
};
const parse = (overrides: Record<string, unknown>) => parseApplicationForm({ ...valid, ...overrides }, { catalogue, now });
const fieldsOf = (overrides: Record<string, unknown>) => {
  const r = parse(overrides);
  return r.ok ? {} : r.fields;
};

describe('the application form', () => {
  it('accepts a complete form as typed and returns it normalised', () => {
    expect(parse({})).toEqual({ ok: true, form: valid });
  });

  it('accepts full-width and repeated spaces between family and given name and makes them one half-width space', () => {
    const r = parse({ nameKanji: '　高橋　　美咲 ', nameKana: 'タカハシ\u3000ミサキ', nameRoman: 'Ｔａｋａｈａｓｈｉ　Ｍｉｓａｋｉ' });
    expect(r.ok && r.form).toMatchObject({ nameKanji: '高橋 美咲', nameKana: 'タカハシ ミサキ', nameRoman: 'Takahashi Misaki' });
  });

  it('folds half-width katakana to full-width', () => {
    const r = parse({ nameKana: 'ﾀｶﾊｼ ﾐｻｷ' });
    expect(r.ok && r.form.nameKana).toBe('タカハシ ミサキ');
  });

  it('asks for a space between family and given name in every script', () => {
    expect(fieldsOf({ nameKanji: '高橋美咲', nameKana: 'タカハシミサキ', nameRoman: 'TakahashiMisaki' })).toEqual({
      nameKanji: 'name.spaceRequired',
      nameKana: 'name.spaceRequired',
      nameRoman: 'name.spaceRequired',
    });
  });

  it('accepts only katakana in the katakana field', () => {
    expect(fieldsOf({ nameKana: 'たかはし みさき' })).toEqual({ nameKana: 'kana.invalid' });
    expect(fieldsOf({ nameKana: '高橋 美咲' })).toEqual({ nameKana: 'kana.invalid' });
    expect(fieldsOf({ nameKana: 'Takahashi Misaki' })).toEqual({ nameKana: 'kana.invalid' });
    expect(parse({ nameKana: 'スミス・ジョン ジュニア' }).ok).toBe(true);
  });

  it('accepts only roman letters in the roman field', () => {
    expect(fieldsOf({ nameRoman: 'タカハシ ミサキ' })).toEqual({ nameRoman: 'roman.invalid' });
    expect(fieldsOf({ nameRoman: 'Takahashi M1saki' })).toEqual({ nameRoman: 'roman.invalid' });
    expect(parse({ nameRoman: "O'Brien Jean-Luc" }).ok).toBe(true);
  });

  it('refuses digits and symbols in the kanji name', () => {
    expect(fieldsOf({ nameKanji: '高橋 美咲3' })).toEqual({ nameKanji: 'name.invalid' });
    expect(fieldsOf({ nameKanji: '<b>高橋</b> 美咲' })).toEqual({ nameKanji: 'name.invalid' });
  });

  it('reports every missing field as required, including an empty body', () => {
    const r = parseApplicationForm(null, { catalogue, now });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.fields).toEqual({
      nameKanji: 'required',
      nameKana: 'required',
      nameRoman: 'required',
      universityCode: 'required',
      facultyCode: 'required',
      departmentCode: 'required',
      studentId: 'required',
      graduationYearMonth: 'required',
      leaveType: 'required',
    });
  });

  it('refuses names longer than 50 characters', () => {
    expect(fieldsOf({ nameRoman: `${'A'.repeat(30)} ${'B'.repeat(30)}` })).toEqual({ nameRoman: 'tooLong' });
  });

  it('requires university, faculty and department of the catalogue that belong together', () => {
    expect(fieldsOf({ universityCode: 'OTHER' })).toEqual({ universityCode: 'university.unknown' });
    expect(fieldsOf({ facultyCode: 'LAW' })).toEqual({ facultyCode: 'faculty.unknown' });
    // A department of another faculty of the same university.
    expect(fieldsOf({ departmentCode: 'INFO' })).toEqual({ departmentCode: 'department.unknown' });
    expect(parse({ universityCode: 'demo', facultyCode: ' gse ', departmentCode: 'ｉｎｆｏｍ' }).ok).toBe(true);
  });

  it('accepts student IDs of letters, digits and hyphens up to 20 characters, folding width and case', () => {
    const r = parse({ studentId: ' ｍ２４－００１ ' });
    expect(r.ok && r.form.studentId).toBe('M24-001');
    expect(fieldsOf({ studentId: '5251004!' })).toEqual({ studentId: 'studentId.invalid' });
    expect(fieldsOf({ studentId: '1'.repeat(21) })).toEqual({ studentId: 'studentId.invalid' });
    expect(parse({ studentId: '1'.repeat(20) }).ok).toBe(true);
  });

  it('takes the graduation year and month in the Western calendar from 1950 to six years ahead', () => {
    expect(parse({ graduationYearMonth: '２０２７－３' }).ok && parse({ graduationYearMonth: '２０２７－３' })).toMatchObject({
      form: { graduationYearMonth: '2027-03' },
    });
    expect(fieldsOf({ graduationYearMonth: '2027-13' })).toEqual({ graduationYearMonth: 'graduation.invalid' });
    expect(fieldsOf({ graduationYearMonth: 'R9-03' })).toEqual({ graduationYearMonth: 'graduation.invalid' });
    expect(fieldsOf({ graduationYearMonth: '9-03' })).toEqual({ graduationYearMonth: 'graduation.invalid' });
    expect(fieldsOf({ graduationYearMonth: '2027-' })).toEqual({ graduationYearMonth: 'graduation.invalid' });
    expect(fieldsOf({ graduationYearMonth: '1949-03' })).toEqual({ graduationYearMonth: 'graduation.outOfRange' });
    expect(fieldsOf({ graduationYearMonth: '2033-03' })).toEqual({ graduationYearMonth: 'graduation.outOfRange' });
    expect(parse({ graduationYearMonth: '2032-03' }).ok).toBe(true);
    expect(parse({ graduationYearMonth: '1950-01' }).ok).toBe(true);
  });

  it('accepts only graduated, withdrawn or removed', () => {
    for (const leaveType of ['graduated', 'withdrawn', 'removed']) expect(parse({ leaveType }).ok).toBe(true);
    expect(fieldsOf({ leaveType: 'expelled' })).toEqual({ leaveType: 'leaveType.invalid' });
  });

  it('ignores fields that are not strings instead of failing on them', () => {
    expect(fieldsOf({ nameKanji: { $gt: '' }, studentId: ['1'] })).toEqual({ nameKanji: 'required', studentId: 'required' });
  });

  it('checks codes only for presence without a catalogue', () => {
    expect(parseApplicationForm({ ...valid, universityCode: 'ANY' }, { now }).ok).toBe(true);
  });
});
