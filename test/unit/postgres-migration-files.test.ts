import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, MigrationError } from '../../service/adapters/postgres/migrate.js';

describe('migration files', () => {
  let dir = '';
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function folder(files: Record<string, string>): Promise<string> {
    dir = await mkdtemp(path.join(os.tmpdir(), 'shomei-migrations-'));
    for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql);
    return dir;
  }

  it('are taken in version order with a checksum that ignores CRLF line endings', async () => {
    const loaded = await loadMigrations(await folder({ '0002_b.sql': 'SELECT 2;\r\n', '0001_a.sql': 'SELECT 1;\n', 'README.md': 'not a migration' }));
    expect(loaded.map((m) => [m.version, m.name])).toEqual([
      [1, '0001_a'],
      [2, '0002_b'],
    ]);
    const lf = await loadMigrations(await folder({ '0001_a.sql': 'SELECT 1;\n', '0002_b.sql': 'SELECT 2;\n' }));
    expect(lf[1]!.checksum).toBe(loaded[1]!.checksum);
    expect(lf[0]!.checksum).not.toBe(lf[1]!.checksum);
  });

  it('must not skip or repeat a version, nor be misnamed', async () => {
    await expect(loadMigrations(await folder({ '0001_a.sql': '', '0003_c.sql': '' }))).rejects.toThrow(/0003_c: expected version 0002/);
    await expect(loadMigrations(await folder({ '0001_a.sql': '', '0001_b.sql': '' }))).rejects.toBeInstanceOf(MigrationError);
    await expect(loadMigrations(await folder({ '0001_a.sql': '', '2_Second.sql': '' }))).rejects.toThrow(/2_Second\.sql: a migration file is named/);
  });

  it('of this version start at 0001 with the initial schema', async () => {
    const loaded = await loadMigrations();
    expect(loaded[0]!.name).toBe('0001_initial_schema');
    expect(loaded[0]!.sql).toContain('CREATE TABLE accounts');
  });
});
