import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const script = path.join(root, 'scripts/check-node.mjs');

/** scripts/check-node.mjs's verdict on a Node.js version (run by the real Node, as CI and npm start do). */
const verdict = (version: string): string | null =>
  JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', `import { nodeProblem } from ${JSON.stringify(script)}; console.log(JSON.stringify(nodeProblem(${JSON.stringify(version)})))`], {
      encoding: 'utf8',
    }),
  ) as string | null;

describe('the supported Node.js versions (package.json engines, checked by CI and npm start)', () => {
  it('are the ones package.json declares', () => {
    const engines = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines;
    expect(engines.node).toBe('>=20.19');
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain('Node.js 20.19 or later');
  });

  it('accept 20.19 and later, and refuse an older Node with the version it needs', () => {
    for (const ok of ['20.19.0', '20.20.2', '22.12.0', '24.11.1']) expect(verdict(ok)).toBeNull();
    expect(verdict('20.18.3')).toBe(
      'Shomei needs Node.js 20.19 or later; this is Node.js 20.18.3. Install a current Node.js LTS (README.md, "Node.js versions").',
    );
    expect(verdict('18.20.4')).toMatch(/^Shomei needs Node\.js 20\.19 or later; this is Node\.js 18\.20\.4\./);
  });

  it('let CI go on with this machine’s Node.js', () => {
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
