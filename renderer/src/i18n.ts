import { createI18n } from 'vue-i18n';
import type { Language } from '../../service/contract/api';
import ja from './locales/ja.json';
import en from './locales/en.json';
import { datetimeFormats } from './datetimeFormats';
import { mergeMessages, type Messages } from './locales/merge';

/**
 * `./locales/<feature>/<lang>.json` → messages, per language. The manual's long texts are left out:
 * they load with its lazily loaded page (pages/manual/messages.ts), not with the login page.
 */
const featureFiles = import.meta.glob<Messages>(['./locales/*/*.json', '!./locales/manual/*.json'], { eager: true, import: 'default' });
function featuresOf(language: Language): Record<string, Messages> {
  const out: Record<string, Messages> = {};
  for (const [file, messages] of Object.entries(featureFiles)) {
    const m = /\.\/locales\/([^/]+)\/(ja|en)\.json$/.exec(file);
    if (m?.[1] && m[2] === language) out[m[1]] = messages;
  }
  return out;
}

export const LANGUAGES: readonly Language[] = ['ja', 'en'];

export const i18n = createI18n({
  legacy: false,
  locale: 'ja',
  fallbackLocale: 'ja',
  messages: { ja: mergeMessages(ja, featuresOf('ja')), en: mergeMessages(en, featuresOf('en')) },
  datetimeFormats,
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});

export const isLanguage = (value: unknown): value is Language => value === 'ja' || value === 'en';

/** Switches every translated text at once and keeps `<html lang>` in step. */
export function applyLanguage(language: Language): void {
  i18n.global.locale.value = language;
  document.documentElement.lang = language;
}

/** Adds the texts of a lazily loaded screen (same rule as the feature folders: its own top-level keys). */
export function addLazyMessages(messages: Record<Language, Messages>): void {
  for (const language of LANGUAGES) i18n.global.mergeLocaleMessage(language, messages[language]);
}
