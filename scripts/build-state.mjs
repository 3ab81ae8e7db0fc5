// Decides whether dist/ is older than the sources it is built from.
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
