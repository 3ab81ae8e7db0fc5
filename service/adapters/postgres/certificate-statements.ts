/**
 * The statements every record kind of the certificate store shares, built from how its fields are
 * stored (certificate-rows.ts): inserts of one or many records, and the one-statement conditional update.
 */
import type { PrintClaim } from '../../domain/certificates/model.js';
import { CLAIM_COLUMNS, claimValues, type FieldColumn } from './certificate-rows.js';
import { jsonParam, type Queryable } from './queryable.js';

/** Columns and parameter values of `fields` of `record` (an absent optional field is null). */
function columnsOf<R extends object>(fields: Record<keyof R, FieldColumn>, record: Partial<R>, keys: (keyof R)[]): { columns: string[]; values: unknown[] } {
  const columns: string[] = [];
  const values: unknown[] = [];
  for (const key of keys) {
    const field = fields[key];
    const value = record[key] ?? null;
    if (field === 'claim') {
      columns.push(...CLAIM_COLUMNS);
      values.push(...claimValues(value as PrintClaim | null));
    } else {
      columns.push(field.column);
      values.push(field.json ? jsonParam(value) : value);
    }
  }
  return { columns, values };
}

/** `INSERT INTO table (every field's columns) VALUES (…)` of one record; `suffix` e.g. ON CONFLICT. */
export function insertStatement<R extends object>(
  table: string,
  fields: Record<keyof R, FieldColumn>,
  record: R,
  suffix = '',
): { text: string; values: unknown[] } {
  return insertRowsStatement(table, fields, [record], suffix);
}

/** One `INSERT … VALUES (…), (…)` of several records: one round trip however many rows. */
export function insertRowsStatement<R extends object>(
  table: string,
  fields: Record<keyof R, FieldColumn>,
  records: readonly R[],
  suffix = '',
): { text: string; values: unknown[] } {
  const keys = Object.keys(fields) as (keyof R)[];
  const values: unknown[] = [];
  let columns: string[] = [];
  const tuples = records.map((record) => {
    const row = columnsOf(fields, record, keys);
    columns = row.columns;
    const first = values.length;
    values.push(...row.values);
    return `(${row.values.map((_, i) => `$${first + i + 1}`).join(', ')})`;
  });
  return { text: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ${suffix}`, values };
}

/**
 * The conditional update as one statement: `UPDATE … SET <changes> WHERE id = $1 AND <each
 * expected field IS NOT DISTINCT FROM its value> RETURNING *`. Of two updates read from the same
 * row, the second waits for the first's row lock, re-checks its WHERE on the new row and finds
 * nothing: exactly one wins. `fixed` fields identify the record and may never change.
 */
export async function conditionalUpdate<R extends object, Row>(
  db: Queryable,
  table: string,
  fields: Record<keyof R, FieldColumn>,
  fixed: readonly (keyof R)[],
  id: string,
  expected: Partial<R>,
  changes: Partial<R>,
): Promise<Row | null> {
  const changed = (Object.keys(changes) as (keyof R)[]).filter((k) => changes[k] !== undefined);
  for (const key of ['id', ...fixed] as (keyof R)[]) {
    if (changed.includes(key)) throw new Error(`an update may not change ${String(key)}`);
  }
  const values: unknown[] = [id];
  const param = (value: unknown) => `$${values.push(value)}`;
  const guard: string[] = ['id = $1'];
  for (const key of Object.keys(expected) as (keyof R)[]) {
    const field = fields[key];
    const value = expected[key] ?? null;
    if (field === 'claim') {
      // A claim is compared whole: none, or all four of its columns equal.
      const claim = value as PrintClaim | null;
      if (claim === null) guard.push('claim_id IS NULL');
      else CLAIM_COLUMNS.forEach((column, i) => guard.push(`${column} = ${param(claimValues(claim)[i])}`));
    } else {
      guard.push(`${field.column} IS NOT DISTINCT FROM ${param(field.json ? jsonParam(value) : value)}`);
    }
  }
  const set = columnsOf(fields, changes, changed);
  if (set.columns.length === 0) {
    const { rows } = await db.query(`SELECT * FROM ${table} WHERE ${guard.join(' AND ')}`, values);
    return (rows[0] as Row | undefined) ?? null;
  }
  const assignments = set.columns.map((column, i) => `${column} = ${param(set.values[i])}`);
  const { rows } = await db.query(`UPDATE ${table} SET ${assignments.join(', ')} WHERE ${guard.join(' AND ')} RETURNING *`, values);
  return (rows[0] as Row | undefined) ?? null;
}
