/**
 * An audit entry's before/after as the fields that changed: both sides flattened to dotted paths
 * (`contact.phone`, `items.0.typeCode`), compared leaf by leaf. Strings that are really binary
 * (a data: URL, a long base64 run) are never shown as text.
 */

/** A leaf as recorded: a primitive, or an array of primitives (kept whole: `studentIds`). */
export type Leaf = string | number | boolean | null | readonly (string | number | boolean | null)[];

export interface ChangedField {
  path: string;
  /** undefined: the field did not exist on that side. */
  before: Leaf | undefined;
  after: Leaf | undefined;
}

export interface Change {
  /** created: nothing before; removed: nothing after; changed: both sides, only differing fields. */
  kind: 'created' | 'removed' | 'changed';
  fields: ChangedField[];
}

const MAX_DEPTH = 6;

const isPrimitive = (v: unknown): v is string | number | boolean | null =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function flattenInto(value: unknown, path: string, depth: number, out: Map<string, Leaf>): void {
  if (value === undefined) return;
  if (isPrimitive(value)) {
    out.set(path, value);
    return;
  }
  if (Array.isArray(value) && value.every(isPrimitive)) {
    out.set(path, value);
    return;
  }
  if (typeof value !== 'object' || depth >= MAX_DEPTH) {
    out.set(path, JSON.stringify(value) ?? String(value));
    return;
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) {
    out.set(path, Array.isArray(value) ? [] : '{}');
    return;
  }
  for (const [key, v] of entries) flattenInto(v, path ? `${path}.${key}` : key, depth + 1, out);
}

/** Dotted path → leaf; a recorded primitive (not an object) sits at the path ''. */
export function flatten(value: unknown): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  if (value !== null && value !== undefined) flattenInto(value, '', 0, out);
  return out;
}

const sameLeaf = (a: Leaf | undefined, b: Leaf | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** What changed between the two sides, in the order the fields were recorded; null when neither side says anything. */
export function changeOf(before: unknown, after: unknown): Change | null {
  const b = flatten(before);
  const a = flatten(after);
  if (b.size === 0 && a.size === 0) return null;
  const kind = b.size === 0 ? 'created' : a.size === 0 ? 'removed' : 'changed';
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  const fields = paths.filter((p) => kind !== 'changed' || !sameLeaf(b.get(p), a.get(p))).map((path) => ({ path, before: b.get(path), after: a.get(path) }));
  return { kind, fields };
}

/** A string that is binary data, not text: a data: URL or a long run of base64 without spaces. */
export function isBinaryText(s: string): boolean {
  return /^data:[\w.+-]+\/[\w.+-]+;base64,/.test(s) || (s.length >= 200 && /^[A-Za-z0-9+/=_-]+$/.test(s) && !/^[0-9a-f]+$/i.test(s));
}

/** Cuts long text for the summary (the whole of it stays in the detail). */
export function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * The entry for the raw detail: JSON, with every binary string replaced by a note of its size
 * (`note(length)`), so that a PNG never fills the screen.
 */
export function rawJson(entry: unknown, note: (chars: number) => string): string {
  return JSON.stringify(entry, (_key, v: unknown) => (typeof v === 'string' && isBinaryText(v) ? note(v.length) : v), 2);
}
