/**
 * `npm run lint:layers` (dependency-cruiser with .dependency-cruiser.cjs) must refuse a wrong import
 * in every direction DESIGN.md forbids, and accept the allowed ones. It runs here over a small tree
 * laid out like the project's, one file per import to judge.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** file → its content; the imports are what is judged. */
const tree: Record<string, string> = {
  // Targets.
  'service/http/routes/x.ts': 'export const route = 1;\n',
  'service/adapters/lowdb/x.ts': 'export const adapter = 1;\n',
  'service/contract/api.ts': 'export type Reply = { ok: boolean };\n',
  'service/shared/rules.ts': 'export const rule = 1;\n',
  'service/config.ts': 'export const config = 1;\n',
  'service/domain/model.ts': 'export type Model = { id: string };\n',
  'renderer/src/kiosk.ts': 'export const kiosk = 1;\n',
  // Allowed.
  'service/domain/ok.ts':
    "import { rule } from '../shared/rules.js';\nimport type { Model } from './model.js';\nexport const ok = (m: Model) => rule + m.id.length;\n",
  'service/contract/ok.ts': "import { rule } from '../shared/rules.js';\nexport type Ok = { rule: typeof rule };\n",
  'service/http/ok.ts':
    "import type { Reply } from '../contract/api.js';\nimport type { Model } from '../domain/model.js';\nexport const ok = (m: Model): Reply => ({ ok: m.id !== '' });\n",
  'renderer/src/ok.ts':
    "import type { Reply } from '@contract/api';\nimport { rule } from '@shared/rules';\nexport const ok = (r: Reply) => r.ok && rule > 0;\n",
  // Forbidden, one per file.
  'service/domain/uses-express.ts': "import express from 'express';\nexport const bad = express;\n",
  'service/domain/uses-adapter.ts': "import { adapter } from '../adapters/lowdb/x.js';\nexport const bad = adapter;\n",
  'service/domain/uses-http.ts': "import { route } from '../http/routes/x.js';\nexport const bad = route;\n",
  'service/domain/uses-config.ts': "import { config } from '../config.js';\nexport const bad = config;\n",
  'service/domain/uses-contract.ts': "import type { Reply } from '../contract/api.js';\nexport const bad = (r: Reply) => r;\n",
  'service/domain/uses-fs.ts': "import { readFileSync } from 'node:fs';\nexport const bad = readFileSync;\n",
  'service/contract/uses-domain.ts': "import type { Model } from '../domain/model.js';\nexport type Bad = Model;\n",
  'service/shared/uses-domain.ts': "import type { Model } from '../domain/model.js';\nexport type Bad = Model;\n",
  'service/http/uses-adapter.ts': "import { adapter } from '../adapters/lowdb/x.js';\nexport const bad = adapter;\n",
  'renderer/src/uses-domain.ts': "import type { Model } from '../../service/domain/model';\nexport type Bad = Model;\n",
  'main/uses-service.ts': "import { route } from '../service/http/routes/x.js';\nexport const bad = route;\n",
  'main/uses-renderer.ts': "import { kiosk } from '../renderer/src/kiosk.js';\nexport const bad = kiosk;\n",
};

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-layers-'));
  for (const [file, content] of Object.entries(tree)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  copyFileSync(path.join(root, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
  copyFileSync(path.join(root, 'tsconfig.test.json'), path.join(dir, 'tsconfig.test.json'));
  copyFileSync(path.join(root, 'tsconfig.service.json'), path.join(dir, 'tsconfig.service.json'));
  copyFileSync(path.join(root, 'tsconfig.base.json'), path.join(dir, 'tsconfig.base.json'));
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function violations(): Array<{ rule: string; from: string; to: string }> {
  let out: string;
  try {
    out = execFileSync(
      process.execPath,
      [
        path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        'service',
        'renderer/src',
        'main',
        '--config',
        '.dependency-cruiser.cjs',
        '--output-type',
        'json',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  } catch (e) {
    // Violations make it exit non-zero; the report is still on stdout.
    out = (e as { stdout: string }).stdout;
  }
  const report = JSON.parse(out) as { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } };
  return report.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

describe('npm run lint:layers', { timeout: 60_000 }, () => {
  it('refuses a wrong import in every forbidden direction, and only those', () => {
    const found = violations();
    const byFile = (from: string) => found.filter((v) => v.from === from).map((v) => v.rule);
    expect(byFile('service/domain/uses-express.ts')).toContain('domain-is-pure');
    expect(byFile('service/domain/uses-adapter.ts')).toEqual(['domain-is-pure']);
    expect(byFile('service/domain/uses-http.ts')).toEqual(['domain-is-pure']);
    expect(byFile('service/domain/uses-config.ts')).toEqual(['domain-is-pure']);
    expect(byFile('service/domain/uses-contract.ts')).toEqual(['domain-is-pure']);
    expect(byFile('service/domain/uses-fs.ts')).toEqual(['domain-no-node-io']);
    expect(byFile('service/contract/uses-domain.ts')).toEqual(['contract-imports-nothing']);
    expect(byFile('service/shared/uses-domain.ts')).toContain('shared-imports-nothing');
    expect(byFile('service/http/uses-adapter.ts')).toEqual(['http-no-adapter']);
    expect(byFile('renderer/src/uses-domain.ts')).toEqual(['renderer-only-shared']);
    expect(byFile('main/uses-service.ts')).toEqual(['main-not-service']);
    expect(byFile('main/uses-renderer.ts')).toEqual(['main-not-service']);
    // The allowed imports pass.
    const forbiddenFiles = new Set(Object.keys(tree).filter((f) => /\/uses-[a-z-]+\.ts$/.test(f)));
    expect(found.filter((v) => !forbiddenFiles.has(v.from))).toEqual([]);
  });
});
