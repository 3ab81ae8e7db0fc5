// npm test: lint, typecheck, build, unit + integration tests (vitest) with the HTTP integration suites
// on PostgreSQL beside them (npm run test:postgres), end-to-end tests (Playwright in Chromium).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shell = process.platform === 'win32';
/** Runs still going in the background: ended when a step fails, so none outlives `npm test`. */
const running = new Set();

/** Runs a step in the foreground; asynchronously, so that a background run's output keeps being read meanwhile. */
async function step(name, [cmd, ...args]) {
  console.log(`\n=== ${name} ===`);
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', shell });
  const code = await new Promise((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  if (code !== 0) {
    console.error(`\n${name} failed (exit ${code}).`);
    for (const other of running) other.kill('SIGTERM');
    process.exit(code);
  }
}

/** Starts `cmd` in the background, its output kept until `report()` prints it (so it does not interleave). */
function background(name, [cmd, ...args]) {
  const started = Date.now();
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], shell });
  running.add(child);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (output += d));
  const done = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
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

await step('lint', ['npm', 'run', 'lint']);
await step('typecheck', ['npm', 'run', 'typecheck']);
await step('build', ['npm', 'run', 'build']);
const postgres = background('integration tests on PostgreSQL', ['npm', 'run', '--silent', 'test:postgres']);
await step('unit and integration tests', ['npx', 'vitest', 'run']);
await postgres.report();
await step('end-to-end tests', ['npx', 'playwright', 'test', '-c', 'test/e2e/playwright.config.ts']);
