// npm run kiosk: the Electron kiosk shell (main/), on a machine where the Electron binary exists.
// Builds everything first; npm install/test/start never need Electron.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// electron's own entry would try to download the binary when it is missing: look first.
const electronDir = path.join(root, 'node_modules', 'electron');
if (!existsSync(path.join(electronDir, 'path.txt'))) {
  console.error(
    'The Electron binary is not installed on this machine (node_modules/electron has no binary: npm install does not download it).\n' +
      'Run `npx install-electron` where Electron releases can be downloaded, then npm run kiosk again.',
  );
  process.exit(1);
}
let electron;
try {
  // The electron package exports the path of its binary; it throws when the binary was never downloaded.
  electron = createRequire(import.meta.url)('electron');
} catch (e) {
  console.error(
    `The Electron binary is not installed on this machine (${e.message}).\nInstall it where Electron releases can be downloaded, then run npm run kiosk again.`,
  );
  process.exit(1);
}
if (typeof electron !== 'string' || !existsSync(electron)) {
  console.error('The Electron binary is not installed on this machine.');
  process.exit(1);
}
// Everything the shell runs: the shell (dist/main), the embedded service and the UI it serves.
const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (built.status !== 0) process.exit(built.status ?? 1);
const child = spawn(electron, [path.join(root, 'dist/main/main.js')], { cwd: root, stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
