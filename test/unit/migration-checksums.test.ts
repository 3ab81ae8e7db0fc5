/**
 * The comparison migrate-to-postgres commits on: records equal to the domain give the same
 * checksum however an adapter orders their fields or spells "not set"; any real difference is a
 * mismatch that names the record.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson, compareCollection, fingerprints, formatResults } from '../../service/adapters/migrate-to-postgres/checksums.js';

const byId = (r: { id: string }) => r.id;

describe('migration checksums', () => {
  it('reads the same record the same whatever the field order, with null and absent alike, bytes by their hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null }, e: undefined })).toBe(canonicalJson({ a: { d: [1, 'x'] }, b: 1 }));
    expect(canonicalJson({ png: new Uint8Array([1, 2, 3]) })).toBe(canonicalJson({ png: new Uint8Array([1, 2, 3]) }));
    expect(canonicalJson({ png: new Uint8Array([1, 2, 3]) })).not.toBe(canonicalJson({ png: new Uint8Array([1, 2, 4]) }));
    expect(canonicalJson({ at: '2026-04-01T00:00:00.000Z' })).not.toBe(canonicalJson({ at: '2026-04-01T00:00:00Z' }));
  });

  it('passes equal collections listed in another order', () => {
    const source = [
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
    ];
    const result = compareCollection('things', fingerprints(source, byId), fingerprints([...source].reverse(), byId), 2);
    expect(result).toMatchObject({ ok: true, sourceCount: 2, targetCount: 2, problems: [] });
    expect(result.sourceChecksum).toBe(result.targetChecksum);
    expect(formatResults([result])).toMatch(/^things +2 +2 +[0-9a-f]{16} +[0-9a-f]{16} +ok$/m);
  });

  it('names what is missing, extra or different, and a row count that does not match', () => {
    const source = [
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
      { id: 'c', n: 3 },
    ];
    const target = [
      { id: 'a', n: 1 },
      { id: 'b', n: 20 },
      { id: 'd', n: 4 },
    ];
    const result = compareCollection('things', fingerprints(source, byId), fingerprints(target, byId), 4);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      'not in PostgreSQL: c',
      'only in PostgreSQL: d',
      'different in PostgreSQL: b',
      'PostgreSQL has 4 rows, DATA_DIR 3 records',
    ]);
    expect(formatResults([result])).toContain('things: different in PostgreSQL: b');
    expect(formatResults([result])).toMatch(/^things +3 +4 .* MISMATCH$/m);
  });
});
