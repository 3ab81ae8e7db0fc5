// npm run admin -- <command>: the staff CLI (service/cli/staff-admin.ts), built first when stale.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newest } from './build-state.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/service/cli/staff-admin.js');


const stale = !existsSync(cli) || ['service', 'tsconfig.base.json', 'tsconfig.service.json'].some((s) => newest(path.join(root, s)) > statSync(cli).mtimeMs);
if (stale) {
  process.stderr.write('Building the service (first use or sources changed)…\n');
  // Build output goes to stderr: stdout carries only what the command prints (e.g. a password).
  const r = spawnSync('npm', ['run', '--silent', 'build:service'], { cwd: root, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
