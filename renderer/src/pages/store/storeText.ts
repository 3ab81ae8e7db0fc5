import { useI18n } from 'vue-i18n';

/** How the store terminal names types, languages and fees in the chosen language. */
export function useStoreText() {
  const { t, te, locale } = useI18n();
  const typeName = (name: { ja: string; en: string }) => (locale.value === 'en' ? name.en : name.ja);
  const languageName = (language: string) => (te(`store.languages.${language}`) ? t(`store.languages.${language}`) : language);
  const yen = (fee: number) => fee.toLocaleString(locale.value === 'en' ? 'en-US' : 'ja-JP');
  return { typeName, languageName, yen };
}
