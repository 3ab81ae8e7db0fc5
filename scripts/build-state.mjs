// Decides whether dist/ is older than the sources it is built from.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The newest modification time under `p` (0 when it does not exist), node_modules left out. */
export const newest = (p) => {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = 0;
  for (const e of readdirSync(p)) if (e !== 'node_modules') t = Math.max(t, newest(path.join(p, e)));
  return t;
};

export function needsBuild(root) {
  const outputs = [path.join(root, 'dist/service/server.js'), path.join(root, 'dist/renderer/index.html')];
  if (!outputs.every(existsSync)) return true;
  const built = Math.min(...outputs.map((o) => statSync(o).mtimeMs));
  const sources = ['service', 'renderer', 'package-lock.json', 'tsconfig.base.json', 'tsconfig.service.json'];
  return sources.some((s) => newest(path.join(root, s)) > built);
}

/**
 * Builds the service (tsc) when `output` (a file under dist/service) is missing or older than its
 * sources; exits the process when the build fails. Build output goes to stderr: stdout carries only
 * what the command then prints (e.g. a password).
 */
export function buildServiceIfStale(root, output) {
  const stale =
    !existsSync(output) || ['service', 'tsconfig.base.json', 'tsconfig.service.json'].some((s) => newest(path.join(root, s)) > statSync(output).mtimeMs);
  if (!stale) return;
  process.stderr.write('Building the service (first use or sources changed)…\n');
  const r = spawnSync('npm', ['run', '--silent', 'build:service'], { cwd: root, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
