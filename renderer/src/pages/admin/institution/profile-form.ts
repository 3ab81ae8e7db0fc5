/**
 * The 大学情報 form's fields and its conversion to and from `InstitutionProfileInput`. Field paths
 * are the service's (`name.ja`, `contact.phone`), so its field errors land on the right input.
 * Maximum lengths follow service/domain/institution/profile-schema.ts.
 */
import type { EnvironmentRow, InstitutionProfileInput, LocalizedText } from '@contract/institution';

export type Language = 'ja' | 'en';

export interface FieldDef {
  path: string;
  /** Key below `adminInstitution.fields`. */
  label: string;
  lang?: Language;
  max: number;
  type?: 'tel' | 'email' | 'url';
  autocomplete?: string;
  optional?: boolean;
  /** Key below `adminInstitution.hints`. */
  hint?: string;
}

export interface SectionDef {
  /** Key below `adminInstitution.sections`. */
  key: 'name' | 'shortName' | 'officer' | 'contact';
  hint?: string;
  fields: FieldDef[];
}

const pair = (path: string, label: string, ja: number, en: number, hint?: string): FieldDef[] => [
  { path: `${path}.ja`, label, lang: 'ja', max: ja, hint },
  { path: `${path}.en`, label, lang: 'en', max: en, hint },
];

export const SECTIONS: SectionDef[] = [
  { key: 'name', fields: pair('name', 'name', 60, 120) },
  { key: 'shortName', hint: 'shortName', fields: pair('shortName', 'shortName', 20, 40) },
  { key: 'officer', hint: 'officer', fields: [...pair('officer.title', 'officerTitle', 30, 60), ...pair('officer.name', 'officerName', 40, 80)] },
  {
    key: 'contact',
    fields: [
      ...pair('contact.office', 'office', 80, 160),
      { path: 'contact.phone', label: 'phone', max: 24, type: 'tel', autocomplete: 'off', hint: 'phone' },
      { path: 'contact.mail', label: 'mail', max: 254, type: 'email', autocomplete: 'off' },
      ...pair('contact.hours', 'hours', 100, 200, 'hours'),
      { path: 'contact.webUrl', label: 'webUrl', max: 500, type: 'url', optional: true, hint: 'webUrl' },
    ],
  },
];

/** Environment rows: category and detail, each in both languages. */
export const ROW_FIELDS: FieldDef[] = [...pair('category', 'category', 30, 60), ...pair('detail', 'detail', 200, 300)];
export const MAX_ROWS = 10;

/** The manual's §1.1 list, offered when nothing has been entered yet. */
export const USUAL_ENVIRONMENTS: EnvironmentRow[] = [
  { category: { ja: 'パソコン', en: 'PC' }, detail: { ja: 'Chrome、Firefox、Safari、Edge', en: 'Chrome, Firefox, Safari, Edge' } },
  { category: { ja: 'スマートフォン等', en: 'Smartphone, etc.' }, detail: { ja: 'iPhone: Safari、Android: Chrome', en: 'iPhone: Safari; Android: Chrome' } },
];

/** One row as the form holds it (`key` keeps Vue's list stable while rows come and go). */
export interface RowValues {
  key: number;
  values: Record<string, string>;
}

export interface ProfileValues {
  fields: Record<string, string>;
  rows: RowValues[];
}

let rowKey = 0;
const get = (o: unknown, path: string): string => {
  const value = path.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown> | null)?.[part], o);
  return typeof value === 'string' ? value : '';
};

export function rowOf(row: EnvironmentRow | null): RowValues {
  rowKey += 1;
  return { key: rowKey, values: Object.fromEntries(ROW_FIELDS.map((f) => [f.path, row ? get(row, f.path) : ''])) };
}

export function valuesOf(profile: InstitutionProfileInput | null): ProfileValues {
  const fields = Object.fromEntries(SECTIONS.flatMap((s) => s.fields).map((f) => [f.path, profile ? get(profile, f.path) : '']));
  return { fields, rows: (profile ? profile.environments : USUAL_ENVIRONMENTS).map(rowOf) };
}

/** What is sent: the text as typed (the service trims and checks it); an empty web page is null. */
export function inputOf(v: ProfileValues): InstitutionProfileInput {
  const text = (path: string): LocalizedText => ({ ja: v.fields[`${path}.ja`] ?? '', en: v.fields[`${path}.en`] ?? '' });
  const rowText = (row: RowValues, path: string): LocalizedText => ({ ja: row.values[`${path}.ja`] ?? '', en: row.values[`${path}.en`] ?? '' });
  const webUrl = (v.fields['contact.webUrl'] ?? '').trim();
  return {
    name: text('name'),
    shortName: text('shortName'),
    officer: { title: text('officer.title'), name: text('officer.name') },
    contact: {
      office: text('contact.office'),
      phone: v.fields['contact.phone'] ?? '',
      mail: v.fields['contact.mail'] ?? '',
      hours: text('contact.hours'),
      webUrl: webUrl === '' ? null : webUrl,
    },
    environments: v.rows.map((row) => ({ category: rowText(row, 'category'), detail: rowText(row, 'detail') })),
  };
}
