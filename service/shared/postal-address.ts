/**
 * Postal addresses of 郵送 orders: the 47 prefectures (ja/en) and the one schema that checks and
 * normalises an address as typed (full-width digits, postal code without hyphen). Error messages
 * are codes (`required`, `tooLong`, `postalCode.invalid`, `prefecture.invalid`, …), shown by the
 * form next to the field.
 */
import { z } from 'zod';
import type { LocalizedName } from './catalogue.js';

export type PostalAddress =
  | {
      kind: 'domestic';
      /** NNN-NNNN */
      postalCode: string;
      prefecture: string;
      /** City, ward, town, block. */
      line1: string;
      /** Building, room; may be empty. */
      line2: string;
    }
  | {
      kind: 'overseas';
      /** Free lines as they appear on the envelope, excluding the country. */
      lines: string[];
      country: string;
    };

/** The 47 prefectures in JIS order; the address stores the Japanese name (as on the envelope). */
export const PREFECTURES: readonly LocalizedName[] = (
  [
    ['北海道', 'Hokkaido'],
    ['青森県', 'Aomori'],
    ['岩手県', 'Iwate'],
    ['宮城県', 'Miyagi'],
    ['秋田県', 'Akita'],
    ['山形県', 'Yamagata'],
    ['福島県', 'Fukushima'],
    ['茨城県', 'Ibaraki'],
    ['栃木県', 'Tochigi'],
    ['群馬県', 'Gunma'],
    ['埼玉県', 'Saitama'],
    ['千葉県', 'Chiba'],
    ['東京都', 'Tokyo'],
    ['神奈川県', 'Kanagawa'],
    ['新潟県', 'Niigata'],
    ['富山県', 'Toyama'],
    ['石川県', 'Ishikawa'],
    ['福井県', 'Fukui'],
    ['山梨県', 'Yamanashi'],
    ['長野県', 'Nagano'],
    ['岐阜県', 'Gifu'],
    ['静岡県', 'Shizuoka'],
    ['愛知県', 'Aichi'],
    ['三重県', 'Mie'],
    ['滋賀県', 'Shiga'],
    ['京都府', 'Kyoto'],
    ['大阪府', 'Osaka'],
    ['兵庫県', 'Hyogo'],
    ['奈良県', 'Nara'],
    ['和歌山県', 'Wakayama'],
    ['鳥取県', 'Tottori'],
    ['島根県', 'Shimane'],
    ['岡山県', 'Okayama'],
    ['広島県', 'Hiroshima'],
    ['山口県', 'Yamaguchi'],
    ['徳島県', 'Tokushima'],
    ['香川県', 'Kagawa'],
    ['愛媛県', 'Ehime'],
    ['高知県', 'Kochi'],
    ['福岡県', 'Fukuoka'],
    ['佐賀県', 'Saga'],
    ['長崎県', 'Nagasaki'],
    ['熊本県', 'Kumamoto'],
    ['大分県', 'Oita'],
    ['宮崎県', 'Miyazaki'],
    ['鹿児島県', 'Kagoshima'],
    ['沖縄県', 'Okinawa'],
  ] as const
).map(([ja, en]) => ({ ja, en }));

export const ADDRESS_LINE_MAX = 80;
export const COUNTRY_MAX = 56;
export const OVERSEAS_LINES_MAX = 4;

/** Full-width ASCII (０-９, Ａ-Ｚ, －, 　) → half-width. */
export const toHalfWidth = (s: string): string => s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');

/** "１２３－４５６７", "1234567", "123 4567" → "123-4567"; null when it is not seven digits. */
export function normalizePostalCode(input: string): string | null {
  const digits = toHalfWidth(input).replace(/[\s\-‐‑‒–—―−ー〒]/g, '');
  return /^\d{7}$/.test(digits) ? `${digits.slice(0, 3)}-${digits.slice(3)}` : null;
}

/** The prefecture's Japanese name for a Japanese or English name as sent; null when unknown. */
export function normalizePrefecture(input: string): string | null {
  const s = input.trim().toLowerCase();
  return PREFECTURES.find((p) => p.ja === input.trim() || p.en.toLowerCase() === s)?.ja ?? null;
}

const line = (max: number) => z.string({ error: 'required' }).trim().max(max, 'tooLong');
const requiredLine = (max: number) => line(max).min(1, 'required');

const domestic = z.object({
  kind: z.literal('domestic'),
  postalCode: z
    .string({ error: 'required' })
    .trim()
    .min(1, 'required')
    .transform((v, ctx) => {
      const normalized = normalizePostalCode(v);
      if (normalized === null) {
        ctx.addIssue({ code: 'custom', message: 'postalCode.invalid' });
        return z.NEVER;
      }
      return normalized;
    }),
  prefecture: z
    .string({ error: 'required' })
    .trim()
    .min(1, 'required')
    .transform((v, ctx) => {
      const normalized = normalizePrefecture(v);
      if (normalized === null) {
        ctx.addIssue({ code: 'custom', message: 'prefecture.invalid' });
        return z.NEVER;
      }
      return normalized;
    }),
  line1: requiredLine(ADDRESS_LINE_MAX),
  line2: line(ADDRESS_LINE_MAX).default(''),
});

const overseas = z.object({
  kind: z.literal('overseas'),
  lines: z.array(requiredLine(ADDRESS_LINE_MAX), { error: 'required' }).min(1, 'required').max(OVERSEAS_LINES_MAX, 'address.tooManyLines'),
  country: requiredLine(COUNTRY_MAX),
});

/** A postal address as typed → the normalised PostalAddress (or issues with codes by field path). */
export const postalAddressSchema: z.ZodType<PostalAddress, unknown> = z.discriminatedUnion('kind', [domestic, overseas], {
  error: 'address.kindInvalid',
}) as unknown as z.ZodType<PostalAddress, unknown>;
