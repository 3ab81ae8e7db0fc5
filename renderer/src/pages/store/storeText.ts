import { useI18n } from 'vue-i18n';
import { useLocalizedName } from '../../composables/useLocalizedName';

/** How the store terminal names types, languages and fees in the chosen language. */
export function useStoreText() {
  const { t, te, n } = useI18n();
  const typeName = useLocalizedName();
  const languageName = (language: string) => (te(`store.languages.${language}`) ? t(`store.languages.${language}`) : language);
  const yen = (fee: number) => n(fee, 'amount');
  return { typeName, languageName, yen };
}
