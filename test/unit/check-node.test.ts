import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const script = path.join(root, 'scripts/check-node.mjs');

/** scripts/check-node.mjs's verdict on a Node.js version (run by the real Node, as CI and npm start do). */
const verdict = (version: string): string | null =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { nodeProblem } from ${JSON.stringify(script)}; console.log(JSON.stringify(nodeProblem(${JSON.stringify(version)})))`,
      ],
      {
        encoding: 'utf8',
      },
    ),
  ) as string | null;

const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const nodeSupported = major > 22 || (major === 22 && minor >= 12);

describe('the supported Node.js versions (package.json engines, checked by CI and npm start)', () => {
  it('are the ones package.json declares', () => {
    const engines = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines;
    expect(engines.node).toBe('>=22.12');
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain('Node.js 22.12 or later');
  });

  it('accept 22.12 and later, and refuse an older Node with the version it needs', () => {
    for (const ok of ['22.12.0', '22.23.5', '24.11.1', '26.1.0']) expect(verdict(ok)).toBeNull();
    expect(verdict('22.11.0')).toBe(
      'Shomei needs Node.js 22.12 or later; this is Node.js 22.11.0. Install a current Node.js LTS (README.md, "Node.js versions").',
    );
    expect(verdict('20.20.2')).toMatch(/^Shomei needs Node\.js 22\.12 or later; this is Node\.js 20\.20\.2\./);
  });

  it('stop CI on an unsupported Node.js, and only warn before npm start', () => {
    const check = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(check.status).toBe(nodeSupported ? 0 : 1);
    const warn = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `import { warnOnOldNode } from ${JSON.stringify(script)}; warnOnOldNode(); console.log('went on');`],
      { encoding: 'utf8' },
    );
    expect(warn.stdout).toBe('went on\n');
    expect(warn.stderr.includes('Shomei needs Node.js 22.12 or later')).toBe(!nodeSupported);
  });
});
