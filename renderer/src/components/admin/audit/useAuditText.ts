import { useI18n } from 'vue-i18n';
import type { AuditEntryView } from '@contract/admin';
import { isBinaryText, truncate, type Leaf } from './auditChange.js';

/** Longest value shown in the summary of a change; the detail has the whole entry. */
const VALUE_MAX = 60;
/** Fields whose values are codes with names (`adminAudit.values.<field>.<code>`). */
const CODED = new Set(['status', 'destination', 'kind', 'language', 'role', 'leaveType']);
const NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The parts of vue-i18n's composer the audit log's words need. */
export interface AuditI18n {
  t(key: string, named?: Record<string, unknown>): string;
  te(key: string): boolean;
  d(value: Date, key: string): string;
  locale: { value: string };
}

/** The audit log's words: actions, actors, targets, field labels and values, in the UI language. */
export function auditText({ t, te, d, locale }: AuditI18n) {
  /** The action in words; a code the console does not know yet is shown as recorded. */
  const actionText = (action: string) =>
    NAME.test(action.replace(/\./g, 'x')) && te(`adminAudit.actions.${action}`) ? t(`adminAudit.actions.${action}`) : action;

  const actorType = (e: AuditEntryView) => (te(`adminAudit.actorTypes.${e.actor.type}`) ? t(`adminAudit.actorTypes.${e.actor.type}`) : e.actor.type);

  const targetType = (e: AuditEntryView) =>
    NAME.test(e.target.type) && te(`adminAudit.targetTypes.${e.target.type}`) ? t(`adminAudit.targetTypes.${e.target.type}`) : e.target.type;

  /** The target's name: the label the service found, a translated fixed target (名簿, 公印), else its ID. */
  function targetName(e: AuditEntryView): string {
    const { type, id, label } = e.target;
    if (label) return locale.value === 'en' ? label.en : label.ja;
    const key = `adminAudit.targetIds.${type}.${id}`;
    if (NAME.test(type) && NAME.test(id) && te(key)) return t(key);
    return id;
  }

  const when = (iso: string) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : d(date, 'dateTime');
  };

  const known = (segments: string[]) => segments.every((s) => NAME.test(s)) && te(`adminAudit.fields.${segments.join('.')}`);

  /**
   * A field's label: the longest known ending of its path (`contact.phone` → 電話番号), after the
   * leading parts in words where known (`form › 氏名(漢字)`); `.ja`/`.en` become (日本語)/(英語);
   * an unknown path stays dotted.
   */
  function fieldLabel(path: string): string {
    if (path === '') return t('adminAudit.change.after');
    const segments = path.split('.');
    const last = segments.at(-1)!;
    if (segments.length > 1 && (last === 'ja' || last === 'en')) return fieldLabel(segments.slice(0, -1).join('.')) + t(`adminAudit.language.${last}`);
    for (let i = 0; i < segments.length; i++) {
      const tail = segments.slice(i);
      if (!known(tail)) continue;
      const head = segments.slice(0, i).map((s) => (known([s]) ? t(`adminAudit.fields.${s}`) : s));
      return [...head, t(`adminAudit.fields.${tail.join('.')}`)].join(' › ');
    }
    return path;
  }

  function valueText(path: string, value: Leaf | undefined): string {
    if (value === undefined || value === null) return t('adminAudit.none');
    if (typeof value === 'boolean') return value ? t('adminAudit.yes') : t('adminAudit.no');
    if (typeof value === 'number') return String(value);
    if (Array.isArray(value)) {
      if (value.length === 0) return t('adminAudit.emptyList');
      return truncate(value.map((v) => valueText(path, v)).join(locale.value === 'en' ? ', ' : '、'), VALUE_MAX);
    }
    const text = value as string;
    if (isBinaryText(text)) return t('adminAudit.binary', { chars: text.length });
    if (ISO_MOMENT.test(text)) return when(text);
    const field = path.split('.').at(-1) ?? '';
    const coded = `adminAudit.values.${field}.${text}`;
    if (CODED.has(field) && NAME.test(text) && te(coded)) return t(coded);
    return truncate(text, VALUE_MAX);
  }

  return { actionText, actorType, targetType, targetName, when, fieldLabel, valueText };
}

export const useAuditText = () => auditText(useI18n());
