/** Audit entries as the console shows them: each target with a name a person recognises. */
import type { AuditEntryView, LocalizedName } from '../../contract/admin.js';
import type { AuditEntry } from '../../domain/audit.js';

/** Finds the readable name of one target (null when it is gone or has none worth showing). */
export type TargetNamer = (id: string) => Promise<LocalizedName | null>;

const same = (text: string): LocalizedName => ({ ja: text, en: text });

/**
 * The page's entries with `target.label`; each target is looked up once per page, and a failed
 * look-up only leaves the label out (the log must show even when a record is gone).
 */
export async function auditEntryViews(entries: AuditEntry[], namers: Partial<Record<string, TargetNamer>>): Promise<AuditEntryView[]> {
  const found = new Map<string, Promise<LocalizedName | null>>();
  const labelOf = (type: string, id: string): Promise<LocalizedName | null> => {
    const namer = namers[type];
    if (!namer) return Promise.resolve(null);
    const key = `${type}\u0000${id}`;
    let label = found.get(key);
    if (!label) {
      label = namer(id).catch(() => null);
      found.set(key, label);
    }
    return label;
  };
  return Promise.all(
    entries.map(async (e) => ({
      id: e.id,
      at: e.at,
      actor: { ...e.actor },
      action: e.action,
      target: { type: e.target.type, id: e.target.id, label: await labelOf(e.target.type, e.target.id) },
      before: e.before,
      after: e.after,
      note: e.note,
    })),
  );
}

/** A label that reads the same in both languages (a number, a person's name). */
export const labelText = (text: string | null | undefined): LocalizedName | null => (text ? same(text) : null);
