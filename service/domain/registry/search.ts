/**
 * Staff search of the registry (学籍検索): a student is found by any part of their ID or of any
 * of their names, however the query's width, kana or case is typed (ｶﾀｶﾅ, カタカナ and かたかな find
 * the same student; "yamada" finds "YAMADA"), with or without the space between family and given
 * name. The domain folds both sides the same way: each student's `searchKey` when it is written,
 * each query before it is asked, so a store only tests "the key contains the query" (a plain
 * LIKE in SQL).
 */
import type { StudentRecord } from './model.js';
import { normalizeName } from '../../shared/normalize.js';

/** Hiragana → katakana. */
const toKatakana = (s: string) => s.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));

/** Widths folded, hiragana as katakana, upper case, no spaces. */
export function foldForSearch(s: string): string {
  return toKatakana(normalizeName(s)).toUpperCase().replace(/ /g, '');
}

/**
 * The student's search key: ID, kanji, kana and roman name, each folded, one per line, so that
 * a query (which never contains a line break) matches within one of them, never across two.
 */
export function studentSearchKey(s: Pick<StudentRecord, 'studentId' | 'nameKanji' | 'nameKana' | 'nameRoman'>): string {
  return [s.studentId, s.nameKanji, s.nameKana, s.nameRoman].map(foldForSearch).join('\n');
}

/** A student record as the registry stores it: with its search key. */
export type SearchableStudent = StudentRecord & { searchKey: string };

export const searchable = (s: StudentRecord): SearchableStudent => ({ ...s, searchKey: studentSearchKey(s) });
