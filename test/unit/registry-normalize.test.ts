import { describe, expect, it } from 'vitest';
import {
  foldWidth,
  hasFamilyAndGivenName,
  isKatakanaName,
  isRomanName,
  isStudentId,
  normalizeName,
  normalizeStudentId,
  romanKey,
} from '../../service/shared/normalize.js';

describe('name normalisation', () => {
  it('turns full-width and repeated spaces into one half-width space and trims', () => {
    expect(normalizeName('山田　太郎')).toBe('山田 太郎');
    expect(normalizeName('  山田 \u3000 太郎\t')).toBe('山田 太郎');
  });

  it('turns half-width katakana into full-width katakana, composing voiced marks', () => {
    expect(normalizeName('ﾔﾏﾀﾞ ﾀﾛｳ')).toBe('ヤマダ タロウ');
    expect(normalizeName('ﾊﾟｰｸ･ｼﾞｮﾝ')).toBe('パーク・ジョン');
  });

  it('composes kana with combining voiced marks (NFD input)', () => {
    expect(normalizeName('ヤマタ\u3099 タロウ')).toBe('ヤマダ タロウ');
  });

  it('turns full-width letters and digits into half-width', () => {
    expect(normalizeName('Ｔａｒｏ　Ｙａｍａｄａ')).toBe('Taro Yamada');
    expect(foldWidth('２０２３－１')).toBe('2023-1');
  });

  it('keeps kanji exactly as written, including compatibility ideographs', () => {
    expect(normalizeName('髙﨑 神')).toBe('髙﨑 神');
    expect(normalizeName('\uFA19田 太郎')).toBe('\uFA19田 太郎');
  });

  it('keeps full-width katakana full-width', () => {
    expect(normalizeName('タカハシ ミサキ')).toBe('タカハシ ミサキ');
  });

  it('knows a name with family and given part', () => {
    expect(hasFamilyAndGivenName('山田 太郎')).toBe(true);
    expect(hasFamilyAndGivenName('Mary Jane Smith')).toBe(true);
    expect(hasFamilyAndGivenName('山田太郎')).toBe(false);
  });
});

describe('katakana-only and roman-only checks', () => {
  it('accepts katakana with the long vowel mark and middle dot', () => {
    expect(isKatakanaName('ヤマダ タロウ')).toBe(true);
    expect(isKatakanaName('スミス ジョン・ポール')).toBe(true);
    expect(isKatakanaName('ヴァーニャ オオノ')).toBe(true);
  });

  it('refuses hiragana, kanji and Latin letters in kana', () => {
    expect(isKatakanaName('やまだ たろう')).toBe(false);
    expect(isKatakanaName('山田 タロウ')).toBe(false);
    expect(isKatakanaName('Yamada タロウ')).toBe(false);
    expect(isKatakanaName('')).toBe(false);
  });

  it('accepts roman letters with hyphens and apostrophes inside a part', () => {
    expect(isRomanName('Taro Yamada')).toBe(true);
    expect(isRomanName("Jean-Luc O'Brien")).toBe(true);
  });

  it('refuses kana, kanji, digits and accented letters in roman names', () => {
    expect(isRomanName('山田 Taro')).toBe(false);
    expect(isRomanName('Taro Yamada2')).toBe(false);
    expect(isRomanName('José Tanaka')).toBe(false);
    expect(isRomanName('-Taro Yamada')).toBe(false);
  });

  it('compares roman names without case', () => {
    expect(romanKey('taro  YAMADA')).toBe(romanKey('Taro Yamada'));
    expect(romanKey('Yamada Taro')).toBe(romanKey('Taro Yamada'));
    expect(romanKey('Yamada Taro')).not.toBe(romanKey('Yamada Jiro'));
  });
});

describe('student ID normalisation', () => {
  it('folds widths, drops spaces and upper-cases letters', () => {
    expect(normalizeStudentId(' ２１０１ ００１ ')).toBe('2101001');
    expect(normalizeStudentId('ａ１２３')).toBe('A123');
  });

  it('accepts letters, digits and inner hyphens only', () => {
    expect(isStudentId('2101001')).toBe(true);
    expect(isStudentId('M-2024-01')).toBe(true);
    expect(isStudentId('21 01')).toBe(false);
    expect(isStudentId('山田')).toBe(false);
    expect(isStudentId('')).toBe(false);
  });
});
