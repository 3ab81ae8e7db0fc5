// npm start: build what is missing or stale, then run the service (demo mode unless configured).
import { spawnSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { needsBuild } from './build-state.mjs';
import { warnOnOldNode } from './check-node.mjs';

warnOnOldNode();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (needsBuild(root)) {
  console.log('Building Shomei (first start or sources changed)…');
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// Node flags and malloc settings that only count when given at the start (service/process-settings.ts).
const { SERVICE_NODE_FLAGS, serviceEnv } = await import(path.join(root, 'dist/service/process-settings.js'));
const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, path.join(root, 'dist/service/server.js')], {
  cwd: root,
  stdio: 'inherit',
  env: serviceEnv(process.env),
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
