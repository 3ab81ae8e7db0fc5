import { createI18n } from 'vue-i18n';
import type { Language } from '@contract/api';
import { datetimeFormats, numberFormats } from './formats';
import type { Messages } from './locales/merge';

/**
 * The student screens' texts come per language (messages/<lang>.ts, one chunk each), fetched
 * when that language is first shown; the console's and the manual's come with their pages.
 */
const bundles: Record<Language, () => Promise<{ default: Messages }>> = {
  ja: () => import('./messages/ja'),
  en: () => import('./messages/en'),
};

export const LANGUAGES: readonly Language[] = ['ja', 'en'];

export const i18n = createI18n({
  legacy: false,
  locale: 'ja',
  fallbackLocale: 'ja',
  messages: { ja: {}, en: {} },
  datetimeFormats,
  numberFormats,
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});

export const isLanguage = (value: unknown): value is Language => value === 'ja' || value === 'en';

const loaded = new Map<Language, Promise<void>>();

/** Fetches a language's texts once (merged: lazily loaded screens may have added theirs already). */
export function loadLanguage(language: Language): Promise<void> {
  let loading = loaded.get(language);
  if (!loading) {
    loading = bundles[language]().then(
      (m) => i18n.global.mergeLocaleMessage(language, m.default),
      (e: unknown) => {
        loaded.delete(language); // let the next attempt fetch it again
        throw e;
      },
    );
    loaded.set(language, loading);
  }
  return loading;
}

/** The language this browser last chose (the service's readable `shomei_lang` cookie), to fetch the right texts first. */
export function chosenLanguage(): Language | null {
  const value = /(?:^|;\s*)shomei_lang=([^;]*)/.exec(document.cookie)?.[1];
  return isLanguage(value) ? value : null;
}

/** Switches every translated text at once (after fetching them) and keeps `<html lang>` in step. */
export async function applyLanguage(language: Language): Promise<void> {
  await loadLanguage(language);
  i18n.global.locale.value = language;
  document.documentElement.lang = language;
}

/** Adds the texts of a lazily loaded screen (same rule as the feature folders: its own top-level keys). */
export function addLazyMessages(messages: Record<Language, Messages>): void {
  for (const language of LANGUAGES) i18n.global.mergeLocaleMessage(language, messages[language]);
}
