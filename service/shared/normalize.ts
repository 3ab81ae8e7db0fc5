/**
 * Width and space normalisation of names and student IDs, shared by the registry import, the
 * application form and the matching aid, so that what staff compare is what both sides typed
 * after the same folding.
 *
 * Deliberately not a whole-string NFKC (nor NFC): both map CJK compatibility ideographs
 * (e.g. U+FA19 神) to other code points, and a name's kanji must stay as written. Only these
 * are folded:
 * - full-width ASCII (Ａ, １, －, ．) → half-width;
 * - half-width katakana (ｶﾞ, ｰ) → full-width katakana, with voiced marks composed;
 * - combining voiced marks after kana (NFD input from some systems) → composed kana;
 * - any run of spaces (half-width, full-width U+3000, tabs, no-break) → one half-width space;
 * - leading and trailing spaces removed.
 */

const FULLWIDTH_ASCII = /[\uFF01-\uFF5E]/g;
/** Kana with any half-width kana or combining (semi-)voiced marks: NFKC composes these runs only. */
// The combining marks are in the class on purpose: a run of kana with them is what NFKC composes.
// eslint-disable-next-line no-misleading-character-class
const KANA_RUN = /[\u3041-\u3096\u30A1-\u30FA\u30FC\u30FD\u30FE\u31F0-\u31FF\uFF61-\uFF9F\u3099\u309A]+/g;
const SPACES = /[\s\u3000\u00A0\u2000-\u200B\u202F\u205F\uFEFF]+/g;

/** Full-width ASCII → half-width; half-width katakana → full-width; other characters unchanged. */
export function foldWidth(s: string): string {
  return (
    s
      .replace(FULLWIDTH_ASCII, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      // eslint-disable-next-line no-misleading-character-class
      .replace(KANA_RUN, (run) => (/[\uFF61-\uFF9F\u3099\u309A]/.test(run) ? run.normalize('NFKC') : run))
  );
}

/**
 * A name as typed → its canonical form: widths folded, every run of spaces (full- or
 * half-width) one half-width space, trimmed. "山田　太郎" → "山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ" → "ヤマダ タロウ",
 * "Ｔａｒｏ  Ｙａｍａｄａ" → "Taro Yamada". Case is kept (compare roman names case-insensitively).
 */
export function normalizeName(s: string): string {
  return foldWidth(s).replace(SPACES, ' ').trim();
}

/** True when a normalised name has a family and a given part (at least one space inside). */
export function hasFamilyAndGivenName(normalized: string): boolean {
  return /^\S+( \S+)+$/.test(normalized);
}

/**
 * Katakana only (after `normalizeName`): full-width katakana, the long vowel mark ー, the
 * middle dot ・ (foreign names) and iteration marks, with single spaces between parts. Hiragana,
 * kanji and Latin letters are refused.
 */
export function isKatakanaName(normalized: string): boolean {
  return /^[\u30A1-\u30FA\u30FB\u30FC\u30FD\u30FE\u31F0-\u31FF]+( [\u30A1-\u30FA\u30FB\u30FC\u30FD\u30FE\u31F0-\u31FF]+)*$/.test(normalized);
}

/**
 * Roman letters only (after `normalizeName`): ASCII letters, with hyphens, apostrophes and
 * periods inside a part (Jean-Luc, O'Brien, Jr.), single spaces between parts.
 */
export function isRomanName(normalized: string): boolean {
  return /^[A-Za-z][A-Za-z'.-]*( [A-Za-z][A-Za-z'.-]*)*$/.test(normalized);
}

/** Case-insensitive comparison key of a roman name. */
export function romanKey(s: string): string {
  // Roman-letter names are written family-first and given-first alike ("Takahashi Misaki",
  // "Misaki Takahashi"): the same words in any order are the same name.
  return normalizeName(s).toUpperCase().split(' ').sort().join(' ');
}

/** A student ID as typed → canonical: widths folded, all spaces removed, letters upper case. */
export function normalizeStudentId(s: string): string {
  return foldWidth(s).replace(SPACES, '').toUpperCase();
}

/** A canonical student ID: 1–20 of A–Z, 0–9 and hyphens, starting with a letter or digit. */
export function isStudentId(normalized: string): boolean {
  return /^[A-Z0-9][A-Z0-9-]{0,19}$/.test(normalized);
}

/** A code of the catalogue (university, faculty, department) as typed → canonical. */
export function normalizeCode(s: string): string {
  return foldWidth(s).replace(SPACES, '').toUpperCase();
}
