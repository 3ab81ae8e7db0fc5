import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One composition root: adapters are built only by service/app.ts and the modules it opens them
 * through (service/stores.ts for every store port, service/certificate-signing.ts for keys and
 * PDFs). Features, routes, the domain and the CLI receive ports; so a second store family
 * (PostgreSQL) plugs in at service/stores.ts alone.
 */
const root = path.resolve(import.meta.dirname, '../..');
const service = path.join(root, 'service');

interface Import {
  file: string;
  target: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) files.push(...sourceFiles(full));
    else if (full.endsWith('.ts')) files.push(full);
  }
  return files;
}

/** Every relative import and re-export of the service's source, resolved to a path under the repository. */
function serviceImports(): Import[] {
  const found: Import[] = [];
  for (const file of sourceFiles(service)) {
    const source = readFileSync(file, 'utf8');
    const statements = [
      ...source.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm),
      ...[...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => [m[0], undefined, m[1]] as const),
    ];
    for (const [, type, specifier] of statements) {
      if (!specifier?.startsWith('.')) continue;
      found.push({ file: path.relative(root, file), target: path.relative(root, path.resolve(path.dirname(file), specifier)), typeOnly: !!type });
    }
  }
  return found;
}

const under = (dir: string) => (p: string) => p === dir || p.startsWith(`${dir}/`);
const describeImport = (i: Import) => `${i.file} → ${i.target}${i.typeOnly ? ' (type)' : ''}`;

describe('composition root', () => {
  const imports = serviceImports();

  it('finds the imports it checks (the scan reads the source)', () => {
    expect(imports.some((i) => i.file === 'service/app.ts' && i.target === 'service/stores.js')).toBe(true);
    expect(imports.some((i) => under('service/adapters/lowdb')(i.target))).toBe(true);
  });

  it('opens the lowdb stores only in the store opener (service/stores.ts) and adapter code', () => {
    const offending = imports.filter((i) => under('service/adapters/lowdb')(i.target) && !under('service/adapters')(i.file) && i.file !== 'service/stores.ts');
    expect(offending.map(describeImport)).toEqual([]);
  });

  it('hands features, the domain and the CLI their ports: none of them imports an adapter', () => {
    const receivers = ['service/features', 'service/domain', 'service/cli'].map(under);
    const offending = imports.filter((i) => receivers.some((r) => r(i.file)) && under('service/adapters')(i.target));
    expect(offending.map(describeImport)).toEqual([]);
  });

  it('gives the HTTP layer services, not adapters to build (type imports only)', () => {
    const offending = imports.filter((i) => under('service/http')(i.file) && under('service/adapters')(i.target) && !i.typeOnly);
    expect(offending.map(describeImport)).toEqual([]);
  });
});
