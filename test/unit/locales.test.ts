import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { mergeMessages, type Messages } from '../../renderer/src/locales/merge.js';
import { ERROR_CODES } from '../../service/shared/errors.js';

const localesDir = new URL('../../renderer/src/locales/', import.meta.url);
const readJson = (path: string): Messages => JSON.parse(readFileSync(new URL(path, localesDir), 'utf8'));
/** Core messages plus every feature folder, merged as the renderer's i18n.ts does. */
function load(language: 'ja' | 'en'): Messages {
  const features: Record<string, Messages> = {};
  for (const entry of readdirSync(localesDir)) {
    if (statSync(new URL(entry, localesDir)).isDirectory()) features[entry] = readJson(`${entry}/${language}.json`);
  }
  return mergeMessages(readJson(`${language}.json`), features);
}
const ja = load('ja');
const en = load('en');

type Tree = { [key: string]: unknown };

/** Every leaf as `path → value` (array items as `path.0`, `path.1`, …). */
function flatten(tree: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (tree !== null && typeof tree === 'object') {
    for (const [key, value] of Object.entries(tree as Tree)) flatten(value, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, tree);
  }
  return out;
}

const locales: Record<'ja' | 'en', Map<string, unknown>> = { ja: flatten(ja), en: flatten(en) };
const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the demo-only messages (their own chunk, loaded in demo mode)', () => {
  const demo = (language: 'ja' | 'en') =>
    flatten(JSON.parse(readFileSync(new URL(`../../renderer/src/demo/locales/${language}.json`, import.meta.url), 'utf8')));
  it('have the same keys in ja and en, none of them also a key of the main messages', () => {
    expect([...demo('ja').keys()].sort()).toEqual([...demo('en').keys()].sort());
    expect([...demo('ja').keys()].filter((k) => locales.ja.has(k))).toEqual([]);
  });

  it('are the only messages that speak of the demo', () => {
    const mentions = [...locales.ja, ...locales.en].filter(([, v]) => typeof v === 'string' && /デモ|Demo/.test(v)).map(([k]) => k);
    expect(mentions).toEqual([]);
  });
});

describe('renderer locales', () => {
  it('ja and en have exactly the same keys', () => {
    const onlyJa = [...locales.ja.keys()].filter((k) => !locales.en.has(k));
    const onlyEn = [...locales.en.keys()].filter((k) => !locales.ja.has(k));
    expect({ onlyJa, onlyEn }).toEqual({ onlyJa: [], onlyEn: [] });
  });

  for (const [language, messages] of Object.entries(locales)) {
    it(`every ${language} message is a non-empty string`, () => {
      const bad = [...messages].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
      expect(bad).toEqual([]);
    });
  }

  it('a message uses the same placeholders in both languages', () => {
    const differing = [...locales.ja]
      .filter(([k, v]) => typeof v === 'string' && typeof locales.en.get(k) === 'string')
      .filter(([k, v]) => placeholders(v as string).join() !== placeholders(locales.en.get(k) as string).join())
      .map(([k]) => k);
    expect(differing).toEqual([]);
  });

  it('no message uses vue-i18n syntax by accident (| separates plural forms, @ links messages)', () => {
    const risky = [...locales.ja, ...locales.en].filter(([, v]) => typeof v === 'string' && /[|@$]/.test(v)).map(([k]) => k);
    expect(risky).toEqual([]);
  });

  it('every message compiles and renders with its placeholders filled', () => {
    // Plain records here: the precise message types would make vue-i18n's key types explode.
    const messages = { ja, en } as unknown as Record<string, Record<string, string>>;
    const i18n = createI18n({ legacy: false, locale: 'ja', messages, missingWarn: false, fallbackWarn: false });
    const broken: string[] = [];
    for (const language of ['ja', 'en'] as const) {
      const messages = locales[language];
      i18n.global.locale.value = language;
      for (const [key, value] of messages) {
        if (typeof value !== 'string') continue;
        const params = Object.fromEntries(placeholders(value).map((p) => [p, 'X']));
        const text: string = (i18n.global.t as (k: string, p: Record<string, string>) => string)(key, params);
        if (text === key || /[{}]/.test(text) || text.trim() === '') broken.push(`${language}:${key}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every error code of the service has a translation, plus a generic fallback', () => {
    const codes = [...ERROR_CODES, 'generic', 'network'];
    expect(codes.length).toBeGreaterThan(10);
    for (const messages of Object.values(locales)) {
      const missing = codes.filter((code) => typeof messages.get(`errors.${code}`) !== 'string');
      expect(missing).toEqual([]);
    }
  });
});
