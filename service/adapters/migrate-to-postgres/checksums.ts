/**
 * How the migration proves a copy: per collection, the count and a SHA-256 over the canonical JSON
 * of every record as the domain sees it (keys sorted, bytes by their SHA-256, a field that is null
 * left out like an absent one: an optional field such as `sessionsNotBefore?: string | null` means
 * the same either way, and one adapter writes null where the other leaves it out), records in key
 * order, so two adapters agree exactly when they return records the domain cannot tell apart.
 */
import { createHash } from 'node:crypto';

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** JSON with object keys sorted; null and undefined fields dropped; byte arrays as their SHA-256. */
export function canonicalJson(value: unknown): string {
  if (value instanceof Uint8Array) return JSON.stringify({ sha256: sha256(value) });
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A collection's records by key, each as canonical JSON. */
export type Fingerprints = Map<string, string>;

export function fingerprints<R>(records: readonly R[], keyOf: (r: R) => string): Fingerprints {
  const out: Fingerprints = new Map();
  for (const r of records) out.set(keyOf(r), canonicalJson(r));
  return out;
}

/** SHA-256 over `key<TAB>json<LF>` lines in key order. */
export function checksumOf(prints: Fingerprints): string {
  const hash = createHash('sha256');
  for (const key of [...prints.keys()].sort()) hash.update(`${key}\t${prints.get(key)}\n`);
  return hash.digest('hex');
}

export interface CollectionResult {
  name: string;
  sourceCount: number;
  /** Rows in the PostgreSQL table (counted in SQL, so rows the copy did not write show too). */
  targetCount: number;
  sourceChecksum: string;
  targetChecksum: string;
  /** Keys missing, extra or different, and any other problem (a few of each). */
  problems: string[];
  ok: boolean;
}

const SHOWN = 5;

const few = (what: string, keys: string[]): string[] =>
  keys.length === 0 ? [] : [`${what}: ${keys.slice(0, SHOWN).join(', ')}${keys.length > SHOWN ? ` and ${keys.length - SHOWN} more` : ''}`];

/** Compares what lowdb gave with what PostgreSQL gives back. */
export function compareCollection(
  name: string,
  source: Fingerprints,
  target: Fingerprints,
  targetCount: number,
  extraProblems: string[] = [],
): CollectionResult {
  const missing = [...source.keys()].filter((k) => !target.has(k));
  const extra = [...target.keys()].filter((k) => !source.has(k));
  const different = [...source.keys()].filter((k) => target.has(k) && target.get(k) !== source.get(k));
  const problems = [
    ...extraProblems,
    ...few('not in PostgreSQL', missing),
    ...few('only in PostgreSQL', extra),
    ...few('different in PostgreSQL', different),
    ...(targetCount !== source.size ? [`PostgreSQL has ${targetCount} rows, DATA_DIR ${source.size} records`] : []),
  ];
  const sourceChecksum = checksumOf(source);
  const targetChecksum = checksumOf(target);
  return {
    name,
    sourceCount: source.size,
    targetCount,
    sourceChecksum,
    targetChecksum,
    problems,
    ok: problems.length === 0 && sourceChecksum === targetChecksum,
  };
}

/** The table an operator reads: one line per collection, then what differs. */
export function formatResults(results: CollectionResult[]): string {
  const header = ['collection', 'DATA_DIR', 'PostgreSQL', 'sha256 DATA_DIR', 'sha256 PostgreSQL', 'result'];
  const rows = results.map((r) => [
    r.name,
    String(r.sourceCount),
    String(r.targetCount),
    r.sourceChecksum.slice(0, 16),
    r.targetChecksum.slice(0, 16),
    r.ok ? 'ok' : 'MISMATCH',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const problems = results.flatMap((r) => r.problems.map((p) => `  ${r.name}: ${p}`));
  return (
    [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ...(problems.length ? ['', 'Mismatches:', ...problems] : [])].join('\n') + '\n'
  );
}
