import { useI18n } from 'vue-i18n';

/** One entry of a "▶ term — text" list (入力項目, 確認結果の見方, messages and what to do). */
export interface ManualItem {
  term: string;
  text: string;
}

/**
 * Reads the blocks of one manual entry (`manual.<id>.lead|steps|itemsTitle|items|notes|link`).
 * Each block is optional: a missing one reads as '' or [].
 */
export function useManualText() {
  const { t, te, tm } = useI18n();
  const count = (key: string): number => {
    const raw: unknown = tm(key);
    return Array.isArray(raw) ? raw.length : 0;
  };
  const indexes = (key: string): number[] => Array.from({ length: count(key) }, (_, i) => i);
  return {
    title: (id: string): string => t(`manual.${id}.title`),
    text: (id: string, block: 'lead' | 'itemsTitle' | 'link'): string => (te(`manual.${id}.${block}`) ? t(`manual.${id}.${block}`) : ''),
    list: (key: string): string[] => indexes(key).map((i) => t(`${key}.${i}`)),
    items: (id: string): ManualItem[] =>
      indexes(`manual.${id}.items`).map((i) => ({ term: t(`manual.${id}.items.${i}.term`), text: t(`manual.${id}.items.${i}.text`) })),
  };
}
