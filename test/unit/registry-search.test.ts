import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY_FILES } from '../../service/adapters/lowdb/registry-store.js';
import type { ImportKind } from '../../service/domain/registry/model.js';
import { foldForSearch, studentSearchKey } from '../../service/domain/registry/search.js';
import type { AuditActor, RegistryService } from '../../service/features/registry.js';
import { registryHarness, studentRow, studentsCsv } from '../support/registry-fixtures.js';

const admin: AuditActor = { type: 'staff', id: 'staff-1', name: 'Admin One' };

async function importCsv(registry: RegistryService, kind: ImportKind, csv: string) {
  const preview = await registry.previewImport(kind, csv, admin);
  expect(preview.errors).toEqual([]);
  return registry.commitImport(kind, csv, preview.hash!, admin);
}

const ids = async (registry: RegistryService, search: string) => (await registry.search({ search })).items.map((s) => s.studentId);

describe('registry search', () => {
  it('finds a katakana name typed in half-width katakana, full-width katakana or hiragana', async () => {
    const { registry } = await registryHarness();
    await importCsv(
      registry,
      'students',
      studentsCsv([
        studentRow({ student_id: '1900100', name_kanji: '片仮名 太郎', name_kana: 'カタカナ タロウ', name_roman: 'Taro Katakana' }),
        studentRow({ student_id: '1900101', name_kanji: '平仮名 花子', name_kana: 'ヒラガナ ハナコ', name_roman: 'Hanako Hiragana' }),
      ]),
    );
    for (const typed of ['ｶﾀｶﾅ', 'カタカナ', 'かたかな', 'ｶﾀｶﾅﾀﾛｳ', 'かたかな　たろう', 'ｶﾀｶﾅ ﾀﾛｳ']) {
      expect(await ids(registry, typed), typed).toEqual(['1900100']);
    }
    expect(await ids(registry, 'ｶﾞﾅ')).toEqual(['1900101']);
    expect(await ids(registry, 'ＫＡＴＡＫＡＮＡ')).toEqual(['1900100']);
    expect(await ids(registry, '片仮名　太郎')).toEqual(['1900100']);
    expect(await ids(registry, '1900 101')).toEqual(['1900101']);
  });

  it('never matches across two fields of a student', async () => {
    const { registry } = await registryHarness();
    await importCsv(registry, 'students', studentsCsv([studentRow({ student_id: '1900110', name_kanji: '山田 太郎', name_kana: 'ヤマダ タロウ' })]));
    // The kanji name ends in 郎 and the kana name starts with ヤ: together they are no name.
    expect(await ids(registry, '郎ヤ')).toEqual([]);
    expect(await ids(registry, '0110山')).toEqual([]);
  });

  it('reads the student record back without its search key, and searches a file written before keys were stored', async () => {
    const h = await registryHarness();
    await importCsv(h.registry, 'students', studentsCsv([studentRow({ student_id: '1900120', name_kana: 'サトウ ハナコ' })]));
    const student = await h.registry.getStudent('1900120');
    expect(student).not.toHaveProperty('searchKey');

    const file = path.join(h.dataDir, REGISTRY_FILES.students);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { records: Record<string, unknown>[] };
    expect(stored.records[0]!.searchKey).toBe(studentSearchKey(student!));
    for (const r of stored.records) delete r.searchKey;
    await writeFile(file, JSON.stringify(stored));
    const reopened = await h.reopen();
    expect(await ids(reopened, 'さとう')).toEqual(['1900120']);
  });

  it('folds the query and the stored key the same way', () => {
    expect(foldForSearch(' ｻﾄｳ　ﾊﾅｺ ')).toBe('サトウハナコ');
    expect(foldForSearch('さとう はなこ')).toBe('サトウハナコ');
    expect(foldForSearch('Ｈａｎａｋｏ sato')).toBe('HANAKOSATO');
    expect(studentSearchKey({ studentId: '1900001', nameKanji: '佐藤 花子', nameKana: 'サトウ ハナコ', nameRoman: 'Hanako Sato' })).toBe(
      '1900001\n佐藤花子\nサトウハナコ\nHANAKOSATO',
    );
  });
});
