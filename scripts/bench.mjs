// npm run bench [-- NAME [options]]: every bench/*.bench.ts in turn, or those whose file name contains
// NAME; the options go to each (run with tsx; nothing is asserted, numbers are printed). Without
// NAME it ends with bench/summary.ts: one table of every figure, also written first in bench/results.md.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [first, ...rest] = process.argv.slice(2);
const only = first && !first.startsWith('-') ? first : undefined;
const options = only ? rest : process.argv.slice(2);
for (const file of readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()) {
  if (only && !file.includes(only)) continue;
  console.log(`\n=== ${file} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('bench', file), ...options], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (!only) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('bench', 'summary.ts')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
