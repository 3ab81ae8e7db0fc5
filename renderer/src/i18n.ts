import { createI18n } from 'vue-i18n';
import type { Language } from '../../service/contract/api';
import ja from './locales/ja.json';
import en from './locales/en.json';

export const LANGUAGES: readonly Language[] = ['ja', 'en'];

export const i18n = createI18n({
  legacy: false,
  locale: 'ja',
  fallbackLocale: 'ja',
  messages: { ja, en },
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});

export const isLanguage = (value: unknown): value is Language => value === 'ja' || value === 'en';

/** Switches every translated text at once and keeps `<html lang>` in step. */
export function applyLanguage(language: Language): void {
  i18n.global.locale.value = language;
  document.documentElement.lang = language;
}
