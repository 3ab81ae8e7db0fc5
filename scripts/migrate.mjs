// npm run migrate: applies the PostgreSQL schema migrations (service/adapters/postgres/migrate-cli.ts), built first when stale.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServiceIfStale } from './build-state.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/service/adapters/postgres/migrate-cli.js');

buildServiceIfStale(root, cli);
const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
