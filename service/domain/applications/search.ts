/**
 * Staff search of the application queue: the student ID, any name or the mail address contains
 * the query, widths folded, spaces removed, case ignored ("山田　太郎" finds "山田 太郎"). The
 * domain folds the query and defines each application's key; a store tests "key contains query".
 */
import { normalizeName } from '../../shared/normalize.js';
import type { Application } from './model.js';

export const foldApplicationSearch = (s: string): string => normalizeName(s).replace(/ /g, '').toLowerCase();

/** The searchable fields, folded, one per line (a query never spans two). */
export const applicationSearchKey = (a: Pick<Application, 'form' | 'mail'>): string =>
  [a.form.studentId, a.form.nameKanji, a.form.nameKana, a.form.nameRoman, a.mail].map(foldApplicationSearch).join('\n');
