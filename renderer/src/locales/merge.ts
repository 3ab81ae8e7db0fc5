/**
 * Messages come from the core files (`locales/ja.json`, `locales/en.json`) plus one folder per
 * feature (`locales/<feature>/ja.json`, `…/en.json`), so features add their texts without
 * touching the core files. A feature may only add top-level keys nobody else has.
 */
export type Messages = { [key: string]: string | Array<string | Messages> | Messages };

export function mergeMessages(core: Messages, features: Record<string, Messages>): Messages {
  const merged: Messages = { ...core };
  for (const [feature, messages] of Object.entries(features)) {
    for (const [key, value] of Object.entries(messages)) {
      if (key in merged) throw new Error(`locale key "${key}" of feature "${feature}" exists already`);
      merged[key] = value;
    }
  }
  return merged;
}
