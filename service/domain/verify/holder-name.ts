/**
 * The holder's name as a public answer shows it: enough for a verifier to compare with the paper,
 * not the whole name. Both forms reveal the same part — the family name — so that showing the
 * kanji and the roman form side by side does not give away more than either alone.
 */

const CJK = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]/;

const partsOf = (name: string): string[] =>
  name
    .normalize('NFC')
    .trim()
    .split(/[\s\u3000]+/)
    .filter(Boolean);

/** Japanese characters become full-width ＊, Latin ones keep their initial and then `*`. */
const maskPart = (part: string): string => {
  const chars = [...part];
  return CJK.test(part) ? '＊'.repeat(chars.length) : chars[0]! + '*'.repeat(chars.length - 1);
};

/** A name without spaces keeps its first half (`山田太郎` → `山田＊＊`). */
function maskSingle(part: string): string {
  const chars = [...part];
  if (chars.length <= 1) return chars.join('');
  const keep = Math.max(1, Math.floor(chars.length / 2));
  const rest = chars.slice(keep).join('');
  return chars.slice(0, keep).join('') + (CJK.test(rest) ? '＊' : '*').repeat(chars.length - keep);
}

/**
 * The name in kanji (family name first, as Japanese names are written): the first part as written,
 * every later part masked. `山田 太郎` → `山田 ＊＊`.
 */
export function maskHolderName(name: string): string {
  const parts = partsOf(name);
  if (parts.length === 0) return '';
  if (parts.length === 1) return maskSingle(parts[0]!);
  return [parts[0]!, ...parts.slice(1).map(maskPart)].join(' ');
}

/**
 * The name in roman letters, which registries write family-first and given-first alike: the
 * family name is kept wherever it stands and every other part keeps its initial (`Taro Yamada` →
 * `T*** Yamada`, `YAMADA Taro` → `YAMADA T***`). The family name is the part that reads like the
 * first part of the katakana reading (`ヤマダ タロウ`), else the one part in capitals; when
 * neither tells, every part keeps only its initial (`T*** Y*****`).
 */
export function maskRomanName(roman: string, kana?: string | null): string {
  const parts = partsOf(roman);
  if (parts.length === 0) return '';
  if (parts.length === 1) return maskSingle(parts[0]!);
  const family = familyPartIndex(parts, kana ?? null);
  return parts.map((part, i) => (i === family ? part : maskPart(part))).join(' ');
}

function familyPartIndex(parts: string[], kana: string | null): number | null {
  const reading = kana ? partsOf(kana)[0] : undefined;
  if (reading) {
    const target = looseRoman(kanaToRoman(reading));
    const distances = parts.map((p) => editDistance(looseRoman(p), target));
    const best = Math.min(...distances);
    const allowed = Math.max(1, Math.floor(target.length / 4));
    if (best <= allowed && distances.filter((d) => d === best).length === 1) return distances.indexOf(best);
  }
  const capitals = parts.flatMap((p, i) => (/^[A-Z][A-Z'.-]+$/.test(p) ? [i] : []));
  return capitals.length === 1 ? capitals[0]! : null;
}

/* ---- Reading katakana as roman letters, loosely: only to tell which roman part is which ---- */

const SYLLABLES =
  'アa イi ウu エe オo カka キki クku ケke コko サsa シshi スsu セse ソso タta チchi ツtsu テte トto ナna ニni ヌnu ネne ノno ' +
  'ハha ヒhi フfu ヘhe ホho マma ミmi ムmu メme モmo ヤya ユyu ヨyo ラra リri ルru レre ロro ワwa ヰi ヱe ヲo ンn ' +
  'ガga ギgi グgu ゲge ゴgo ザza ジji ズzu ゼze ゾzo ダda ヂji ヅzu デde ドdo バba ビbi ブbu ベbe ボbo パpa ピpi プpu ペpe ポpo ヴvu';
const KANA = new Map(SYLLABLES.split(' ').map((s) => [s[0]!, s.slice(1)]));
const SMALL_Y: Record<string, string> = { ャ: 'a', ュ: 'u', ョ: 'o' };
const SMALL_VOWEL: Record<string, string> = { ァ: 'a', ィ: 'i', ゥ: 'u', ェ: 'e', ォ: 'o' };

/** `ヤマダ` → `yamada`, `キョウコ` → `kyouko`, `ハットリ` → `hattori`; hiragana read as katakana. */
export function kanaToRoman(kana: string): string {
  let out = '';
  let double = false;
  for (const ch of kana.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))) {
    if (ch === 'ッ') {
      double = true;
      continue;
    }
    if (SMALL_Y[ch] && out.endsWith('i')) {
      // キャ → kya, シャ → sha, チャ → cha, ジャ → ja
      out = /(sh|ch|j)i$/.test(out) ? out.slice(0, -1) + SMALL_Y[ch] : out.slice(0, -1) + 'y' + SMALL_Y[ch];
      continue;
    }
    if (SMALL_VOWEL[ch]) {
      out = out.replace(/[aiueo]$/, '') + SMALL_VOWEL[ch];
      continue;
    }
    const syllable = KANA.get(ch);
    if (syllable === undefined) continue; // ー and anything else: long vowels are ignored when comparing
    out += double && /^[^aiueon]/.test(syllable) ? syllable[0] + syllable : syllable;
    double = false;
  }
  return out;
}

/**
 * One spelling for the usual ways of writing the same reading: Kunrei (si, tu, hu) as Hepburn,
 * long vowels (ou, oo, oh, uu) as one vowel, m before b/m/p as n, macrons dropped.
 */
function looseRoman(s: string): string {
  return s
    .normalize('NFD')
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .replace(/sy/g, 'sh')
    .replace(/ty/g, 'ch')
    .replace(/zy/g, 'j')
    .replace(/si/g, 'shi')
    .replace(/ti/g, 'chi')
    .replace(/tu/g, 'tsu')
    .replace(/(?<![sc])hu/g, 'fu')
    .replace(/[zd]i/g, 'ji')
    .replace(/du/g, 'zu')
    .replace(/tch/g, 'cch')
    .replace(/m(?=[bmp])/g, 'n')
    .replace(/oh(?![aiueo])/g, 'o')
    .replace(/o[ou]/g, 'o')
    .replace(/uu/g, 'u')
    .replace(/([aie])\1/g, '$1');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
