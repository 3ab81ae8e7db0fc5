import { describe, expect, it } from 'vitest';
import { kanaToRoman, maskHolderName, maskRomanName } from '../../service/domain/verify/holder-name.js';

describe('maskHolderName (kanji)', () => {
  it('keeps the family name of a Japanese name and masks each later character with a full-width star', () => {
    expect(maskHolderName('山田 太郎')).toBe('山田 ＊＊');
    expect(maskHolderName('佐々木　健一朗')).toBe('佐々木 ＊＊＊');
  });

  it('keeps the first part of a Latin name written in the kanji field and the initial of every later part', () => {
    expect(maskHolderName('Taro Yamada')).toBe('Taro Y*****');
    expect(maskHolderName('Anna Maria Schmidt')).toBe('Anna M**** S******');
  });

  it('keeps the first half of a name written without a space', () => {
    expect(maskHolderName('山田太郎')).toBe('山田＊＊');
    expect(maskHolderName('李')).toBe('李');
  });
});

describe('maskRomanName', () => {
  it('keeps the family name wherever the registry put it, found by the katakana reading', () => {
    expect(maskRomanName('Taro Yamada', 'ヤマダ タロウ')).toBe('T*** Yamada');
    expect(maskRomanName('Yamada Taro', 'ヤマダ タロウ')).toBe('Yamada T***');
    expect(maskRomanName('Hanako Sato', 'サトウ ハナコ')).toBe('H***** Sato');
    expect(maskRomanName('Misaki Takahashi', 'タカハシ ミサキ')).toBe('M***** Takahashi');
  });

  it('reads the usual spellings of one reading alike: long vowels, Kunrei, m before b', () => {
    expect(maskRomanName('Kyoko Ohno', 'オオノ キョウコ')).toBe('K**** Ohno');
    expect(maskRomanName('Yuki Itou', 'イトウ ユウキ')).toBe('Y*** Itou');
    expect(maskRomanName('Hiroshi Satoh', 'サトウ ヒロシ')).toBe('H****** Satoh');
    expect(maskRomanName('Ken Honma', 'ホンマ ケン')).toBe('K** Honma');
    expect(maskRomanName('Ken Homma', 'ホンマ ケン')).toBe('K** Homma');
    expect(maskRomanName('Tutomu Turuta', 'ツルタ ツトム')).toBe('T***** Turuta');
    expect(maskRomanName('Shota Hattori', 'ハットリ ショウタ')).toBe('S**** Hattori');
  });

  it('without a reading, keeps the one part written in capitals', () => {
    expect(maskRomanName('Hanako YAMADA')).toBe('H***** YAMADA');
    expect(maskRomanName('YAMADA Hanako', null)).toBe('YAMADA H*****');
  });

  it('keeps only initials when nothing tells which part is the family name', () => {
    expect(maskRomanName('Taro Yamada')).toBe('T*** Y*****');
    expect(maskRomanName('Taro Yamada', 'スズキ イチロウ')).toBe('T*** Y*****');
    expect(maskRomanName('TARO YAMADA')).toBe('T*** Y*****');
  });

  it('never shows more of the name than the kanji mask together with it', () => {
    // The kanji mask shows the family name; the roman mask shows the same family name and initials.
    const kanji = maskHolderName('山田 太郎');
    const roman = maskRomanName('Taro Yamada', 'ヤマダ タロウ');
    expect(kanji).toBe('山田 ＊＊');
    expect(roman.split(' ').filter((p) => !p.includes('*'))).toEqual(['Yamada']);
  });

  it('masks a one-part name like the kanji one', () => {
    expect(maskRomanName('Madonna')).toBe('Mad****');
  });
});

describe('kanaToRoman', () => {
  it('reads katakana (and hiragana) in Hepburn', () => {
    expect(kanaToRoman('ヤマダ')).toBe('yamada');
    expect(kanaToRoman('キョウコ')).toBe('kyouko');
    expect(kanaToRoman('ショウタ')).toBe('shouta');
    expect(kanaToRoman('ハットリ')).toBe('hattori');
    expect(kanaToRoman('じゅん')).toBe('jun');
    expect(kanaToRoman('フォード')).toBe('fodo');
  });
});
