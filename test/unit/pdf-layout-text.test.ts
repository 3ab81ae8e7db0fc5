import { describe, expect, it } from 'vitest';
import { breakUnits, creationDateOf, formatCertificateDate, wrapText } from '../../service/adapters/pdf/layout-text.js';

/** Every character is 10 units wide: easy arithmetic for line widths. */
const mono = (s: string) => Array.from(s).length * 10;

describe('certificate text wrapping', () => {
  it('wraps Japanese text between any two characters', () => {
    expect(wrapText('上記の者は本学に在学していることを証明する', 50, mono)).toEqual(['上記の者は', '本学に在学', 'しているこ', 'とを証明す', 'る']);
  });

  it('keeps closing punctuation with the character before it (no line starts with 。 or 、)', () => {
    const lines = wrapText('あいうえお。かきくけ、こ', 50, mono);
    expect(lines.some((l) => l.startsWith('。') || l.startsWith('、'))).toBe(false);
    expect(lines.join('')).toBe('あいうえお。かきくけ、こ');
  });

  it('wraps English text between words and drops the spaces at line ends', () => {
    expect(wrapText('This is to certify that the above', 120, mono)).toEqual(['This is to', 'certify that', 'the above']);
  });

  it('breaks a word longer than a line per character', () => {
    expect(wrapText('a Supercalifragilistic b', 60, mono)).toEqual(['a', 'Superc', 'alifra', 'gilist', 'ic b']);
  });

  it('keeps a Latin word inside Japanese text whole', () => {
    expect(wrapText('科目GPAについて', 60, mono)).toEqual(['科目GPAに', 'ついて']);
    expect(wrapText('科目GPAについて', 30, mono)).toEqual(['科目', 'GPA', 'につい', 'て']);
  });

  it('starts a new line at an explicit line break and returns one empty line for empty text', () => {
    expect(wrapText('one\ntwo', 100, mono)).toEqual(['one', 'two']);
    expect(wrapText('', 100, mono)).toEqual(['']);
  });

  it('splits into units: each kanji alone, Latin runs as words, spaces as break points', () => {
    expect(breakUnits('学長 Kenichi SATO')).toEqual(['学', '長', ' ', 'Kenichi', ' ', 'SATO']);
  });
});

describe('certificate dates', () => {
  it('prints dates the Japanese way and the English way', () => {
    expect(formatCertificateDate('2026-11-24', 'ja')).toBe('2026年11月24日');
    expect(formatCertificateDate('2026-11-24', 'en')).toBe('November 24, 2026');
    expect(formatCertificateDate('2004-04-02', 'ja')).toBe('2004年4月2日');
    expect(formatCertificateDate('2004-04-02', 'en')).toBe('April 2, 2004');
  });

  it('takes the date part of a date-time as written, without shifting time zones', () => {
    expect(formatCertificateDate('2026-11-24T23:30:00+09:00', 'ja')).toBe('2026年11月24日');
  });

  it('refuses something that is not an ISO date', () => {
    expect(() => formatCertificateDate('24/11/2026', 'en')).toThrow();
    expect(() => formatCertificateDate('2026-13-01', 'en')).toThrow();
  });

  it('uses midnight UTC of a bare issue date as the PDF creation date', () => {
    expect(creationDateOf('2026-11-24').toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(creationDateOf('2026-11-24T10:15:00Z').toISOString()).toBe('2026-11-24T10:15:00.000Z');
  });
});
