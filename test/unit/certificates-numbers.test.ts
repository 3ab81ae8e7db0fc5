import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../service/domain/crypto.js';
import { DomainError } from '../../service/domain/errors.js';
import type { Random } from '../../service/domain/ports.js';
import {
  ALPHABET,
  checkCharacter,
  formatVerificationCode,
  generateCertificateNumber,
  generateReservationNumber,
  generateVerificationCode,
  isValidCertificateNumber,
  normalizeCertificateNumber,
  normalizeReservationNumber,
  normalizeVerificationCode,
  randomAlphabetString,
  randomBelow,
  randomCertificateNumber,
} from '../../service/domain/certificates/numbers.js';

/** A Random that hands out the given bytes in order, then fails. */
function scripted(bytes: number[]): Random & { used: number } {
  const r = {
    used: 0,
    token(count: number) {
      if (r.used + count > bytes.length) throw new Error('script exhausted');
      const out = Buffer.from(bytes.slice(r.used, r.used + count));
      r.used += count;
      return out.toString('base64url');
    },
    id: () => 'id',
  };
  return r;
}

describe('reservation numbers', () => {
  it('10 000 numbers are 8 digits, all different and roughly uniform in every position', async () => {
    const numbers = new Set<string>();
    for (let i = 0; i < 10_000; i++) numbers.add(await generateReservationNumber(systemRandom, (n) => numbers.has(n)));
    expect(numbers.size).toBe(10_000);
    for (const n of numbers) expect(n).toMatch(/^[0-9]{8}$/);
    for (let position = 0; position < 8; position++) {
      const counts = new Array(10).fill(0);
      for (const n of numbers) counts[Number(n[position])] += 1;
      const chiSquare = counts.reduce((sum, c) => sum + (c - 1000) ** 2 / 1000, 0);
      // 9 degrees of freedom: P(χ² > 40) ≈ 7e-6.
      expect(chiSquare).toBeLessThan(40);
    }
  });

  it('a number that is active is drawn again', async () => {
    const active = new Set(['00000001', '00000002']);
    const seen: string[] = [];
    // Draws 1, 2, then 3 (big-endian 32-bit values).
    const random = scripted([0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]);
    const number = await generateReservationNumber(random, async (n) => {
      seen.push(n);
      return active.has(n);
    });
    expect(seen).toEqual(['00000001', '00000002', '00000003']);
    expect(number).toBe('00000003');
  });

  it('gives up with reservation.numberExhausted after the allowed attempts', async () => {
    let asked = 0;
    const failure = await generateReservationNumber(systemRandom, () => ++asked > 0, 5).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DomainError);
    expect((failure as DomainError).code).toBe('reservation.numberExhausted');
    expect(asked).toBe(5);
  });

  it('draws above the largest multiple of the range are rejected rather than folded (no modulo bias)', () => {
    // 4 200 000 000 = 42 × 10^8 is the first rejected value; 0xFFFFFFFF too.
    const random = scripted([0xfa, 0x56, 0xea, 0x00, 0xff, 0xff, 0xff, 0xff, 0xfa, 0x56, 0xe9, 0xff]);
    expect(randomBelow(random, 100_000_000)).toBe(4_199_999_999 % 100_000_000);
    expect(random.used).toBe(12);
  });

  it('typed numbers are read with full-width digits, spaces and hyphens', () => {
    expect(normalizeReservationNumber('１２３４ ５６７８')).toBe('12345678');
    expect(normalizeReservationNumber('0012-3456')).toBe('00123456');
    expect(normalizeReservationNumber('1234567')).toBeNull();
    expect(normalizeReservationNumber('1234567a')).toBeNull();
  });
});

describe('certificate numbers', () => {
  it('have the form SHM-YYYY-XXXX-XXXX in the unambiguous alphabet with a valid check character', () => {
    for (let i = 0; i < 500; i++) {
      const number = randomCertificateNumber(systemRandom, 2026);
      expect(number).toMatch(/^SHM-2026-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(isValidCertificateNumber(number)).toBe(true);
    }
  });

  it('any single changed character, and any swap of two different neighbours but 0 and Z, is detected by the check character', () => {
    // Every position of many random numbers; each number's neighbours are swapped where they differ.
    for (let n = 0; n < 50; n++) {
      const number = randomCertificateNumber(systemRandom, 2026);
      const chars = number.replace(/^SHM-|-/g, '').split('');
      const rebuild = (c: string[]) => `SHM-${c.slice(0, 4).join('')}-${c.slice(4, 8).join('')}-${c.slice(8).join('')}`;
      for (let i = 4; i < 12; i++) {
        for (const replacement of ALPHABET) {
          if (replacement === chars[i]) continue;
          const changed = [...chars];
          changed[i] = replacement;
          expect(isValidCertificateNumber(rebuild(changed))).toBe(false);
        }
        const pair = `${chars[i]}${chars[i + 1]}`;
        if (i < 11 && chars[i] !== chars[i + 1] && pair !== '0Z' && pair !== 'Z0') {
          const swapped = [...chars];
          [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
          expect(isValidCertificateNumber(rebuild(swapped))).toBe(false);
        }
      }
    }
  });

  it('misses the swap of 0 and Z, as Luhn mod 32 must (its one blind spot, like 09 and 90 in decimal Luhn), and no other pair', () => {
    const blind: string[] = [];
    for (const a of ALPHABET) {
      for (const b of ALPHABET) {
        if (a === b) continue;
        // The pair at the two positions before the check character, with whatever check the original gets.
        const body = `2026ABCDE${a}${b}`;
        const swapped = `2026ABCDE${b}${a}`;
        if (checkCharacter(body) === checkCharacter(swapped)) blind.push(`${a}${b}`);
      }
    }
    expect(blind.sort()).toEqual(['0Z', 'Z0']);
  });

  it('typed numbers are normalised: lower case, full width, no hyphens, O for 0 and I or L for 1', () => {
    const number = `SHM-2026-0A1B-${'C0D'}${checkCharacter('20260A1BC0D')}`;
    expect(normalizeCertificateNumber(number.toLowerCase())).toBe(number);
    expect(normalizeCertificateNumber(number.replace(/-/g, ' '))).toBe(number);
    expect(normalizeCertificateNumber('ＳＨＭ－２０２６－OA1B－CoD' + checkCharacter('20260A1BC0D'))).toBe(number);
    expect(normalizeCertificateNumber(number.replace('A1B', 'AlB'))).toBe(number);
    expect(normalizeCertificateNumber('SHM-2026-0A1B-C0D' + (checkCharacter('20260A1BC0D') === 'Z' ? 'Y' : 'Z'))).toBeNull();
  });

  it('a number already taken is drawn again', async () => {
    const taken: string[] = [];
    const number = await generateCertificateNumber(systemRandom, 2026, (n) => {
      taken.push(n);
      return taken.length < 3;
    });
    expect(taken).toHaveLength(3);
    expect(number).toBe(taken[2]);
  });
});

describe('verification codes', () => {
  it('are 10 characters of the unambiguous alphabet, i.e. 50 random bits', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 1000; i++) codes.add(generateVerificationCode(systemRandom));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(Math.log2(ALPHABET.length) * 10).toBeGreaterThanOrEqual(40);
  });

  it('map the 256 byte values onto every character of the alphabet exactly 8 times (no bias)', () => {
    const text = randomAlphabetString(scripted([...Array(256).keys()]), 256);
    const counts = new Map<string, number>();
    for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect([...counts.keys()].sort().join('')).toBe([...ALPHABET].sort().join(''));
    expect(new Set(counts.values())).toEqual(new Set([8]));
  });

  it('are shown as XXXXX-XXXXX and read back from what a person types', () => {
    const code = 'AB12CD34EF';
    expect(formatVerificationCode(code)).toBe('AB12C-D34EF');
    expect(normalizeVerificationCode('ab12c-d34ef')).toBe(code);
    expect(normalizeVerificationCode('ＡＢ１２Ｃ－Ｄ３４ＥＦ')).toBe(code);
    expect(normalizeVerificationCode('AB12C D34EF')).toBe(code);
    expect(normalizeVerificationCode('AB12CD34E')).toBeNull();
    expect(normalizeVerificationCode('AB12CD34EU')).toBeNull();
  });
});
