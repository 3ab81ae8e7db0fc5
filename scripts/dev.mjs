// npm run dev: the service recompiled and restarted on change (port 3000) and Vite's dev server
// with hot reload (port 5173, proxying /api, /saml, /dev and /demo-idp to the service).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const children = [
  spawn(npx, ['tsc', '-p', 'tsconfig.service.json', '--watch', '--preserveWatchOutput'], { cwd: root, stdio: 'inherit' }),
  spawn(process.execPath, ['--watch-path=dist/service', '--watch-preserve-output', 'dist/service/server.js'], {
    cwd: root,
    stdio: 'inherit',
    // The mailed links and the SAML ACS go to the service's own port.
    env: { PUBLIC_URL: 'http://localhost:5173', ...process.env },
  }),
  spawn(npx, ['vite', '--config', 'renderer/vite.config.ts'], { cwd: root, stdio: 'inherit' }),
];
const stop = () => children.forEach((c) => c.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
