import { useI18n } from 'vue-i18n';

/**
 * A name kept in both languages (type, faculty, university…) in the language shown, or in the
 * other one when the university left this one empty.
 */
export function useLocalizedName() {
  const { locale } = useI18n();
  return (name: { ja: string; en: string }): string => (locale.value === 'en' ? name.en || name.ja : name.ja || name.en);
}
