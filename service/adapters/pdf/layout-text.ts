/**
 * Pure text helpers for the certificate layout: line wrapping and date formatting. No pdf-lib here:
 * widths come from a `measure` callback so the rules can be unit-tested with any metric.
 */
import type { Language } from '../../domain/model.js';

/** Width of a string in points at the size being laid out. */
export type Measure = (text: string) => number;

/** CJK ideographs, kana, full-width forms: a line may break before or after any of them. */
const CJK = /[\u2E80-\u2FFF\u3000-\u30FF\u3100-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/u;
/** Must not start a line (kinsoku): closing brackets and punctuation stick to the unit before. */
const NO_LINE_START = /^[、。，．,.)）」』】〕〉》！？!?：；:;ー々ゝゞァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎ]$/u;
/** Must not end a line: opening brackets stick to the unit after. */
const NO_LINE_END = /^[（(「『【〔〈《]$/u;

/**
 * Splits text into unbreakable units: each CJK character alone (Japanese wraps per character),
 * runs of other non-space characters as words, and single spaces as break opportunities.
 */
export function breakUnits(text: string): string[] {
  const units: string[] = [];
  let word = '';
  const flush = () => {
    if (word) units.push(word);
    word = '';
  };
  for (const ch of Array.from(text)) {
    if (/\s/u.test(ch)) {
      flush();
      units.push(' ');
    } else if (CJK.test(ch)) {
      flush();
      units.push(ch);
    } else {
      word += ch;
    }
  }
  flush();
  // Kinsoku: glue closing punctuation to the unit before it, opening brackets to the unit after.
  const glued: string[] = [];
  for (let i = 0; i < units.length; i += 1) {
    const u = units[i]!;
    const prev = glued[glued.length - 1];
    if (prev !== undefined && prev !== ' ' && NO_LINE_START.test(u)) glued[glued.length - 1] = prev + u;
    else if (prev !== undefined && NO_LINE_END.test(prev.slice(-1)) && u !== ' ' && prev.length === 1) glued[glued.length - 1] = prev + u;
    else glued.push(u);
  }
  return glued;
}

/**
 * Wraps one paragraph into lines no wider than `maxWidth` (except a single character wider than it).
 * Japanese breaks between any two characters; English between words; a word longer than a line
 * is broken per character. Spaces at line ends are dropped. Explicit '\n' starts a new line.
 */
export function wrapText(text: string, maxWidth: number, measure: Measure): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    const push = () => {
      lines.push(line.trimEnd());
      line = '';
    };
    for (const unit of breakUnits(paragraph)) {
      if (unit === ' ') {
        if (line) line += ' ';
        continue;
      }
      if (measure(line + unit) <= maxWidth) {
        line += unit;
        continue;
      }
      if (line.trim()) push();
      if (measure(unit) <= maxWidth) {
        line = unit;
        continue;
      }
      for (const ch of Array.from(unit)) {
        if (line && measure(line + ch) > maxWidth) push();
        line += ch;
      }
    }
    push();
  }
  return lines;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Formats an ISO date (YYYY-MM-DD, or a date-time whose date part is taken as written) as printed
 * on a certificate: ja '2026年11月24日', en 'November 24, 2026'. No time-zone shifting.
 */
export function formatCertificateDate(iso: string, language: Language): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) throw new Error(`not an ISO date: ${iso}`);
  return language === 'ja' ? `${y}年${mo}月${d}日` : `${MONTHS[mo - 1]} ${d}, ${y}`;
}

/** The PDF creation date for an issue date: the given instant, or midnight UTC for a bare date. */
export function creationDateOf(iso: string): Date {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) throw new Error(`not an ISO date: ${iso}`);
  return date;
}
