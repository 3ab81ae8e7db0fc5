// npm test: typecheck, build, unit + integration tests (vitest) with the HTTP integration suites
// on PostgreSQL beside them (npm run test:postgres), end-to-end tests (Playwright in Chromium).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shell = process.platform === 'win32';

function step(name, [cmd, ...args]) {
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell });
  if (r.status !== 0) {
    console.error(`\n${name} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

/** Starts `cmd` in the background, its output kept until `report()` prints it (so it does not interleave). */
function background(name, [cmd, ...args]) {
  const started = Date.now();
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], shell });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (output += d));
  const done = new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  return {
    async report() {
      const code = await done;
      console.log(`\n=== ${name} (ran beside the tests above, ${Math.round((Date.now() - started) / 1000)} s) ===\n${output}`);
      if (code !== 0) {
        console.error(`\n${name} failed (exit ${code}).`);
        process.exit(code);
      }
    },
  };
}

step('typecheck', ['npm', 'run', 'typecheck']);
step('build', ['npm', 'run', 'build']);
const postgres = background('integration tests on PostgreSQL', ['npm', 'run', '--silent', 'test:postgres']);
step('unit and integration tests', ['npx', 'vitest', 'run']);
await postgres.report();
step('end-to-end tests', ['npx', 'playwright', 'test', '-c', 'test/e2e/playwright.config.ts']);
