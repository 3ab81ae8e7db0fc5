// Dependency audit (`npm run audit`, README.md "Dependency audit"): asks the registry's advisory
// service about every package in package-lock.json and fails on a high or critical advisory for
// anything that ships: the production dependencies, and Electron, which package.json lists as a
// devDependency but which is the kiosk installer's runtime. Advisories for development tools only
// are listed without failing. When the advisory service cannot be reached (an offline CI machine)
// the audit says plainly that it was skipped and exits 0, unless `--require` is given.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BLOCKING = ['critical', 'high'];
const SHIPPED_DEV_DEPENDENCIES = new Set(['electron']);
const TIMEOUT_MS = 180_000;
const HOW_TO = 'Run `npm run audit` on a machine that reaches the registry\'s advisory service (README.md, "Dependency audit").';

/** `npm audit --json` over the whole lock file, as a child process. */
export function runNpmAudit() {
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli?.endsWith('.js') ? [process.execPath, [npmCli, 'audit', '--json']] : ['npm', ['audit', '--json']];
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut: r.error?.code === 'ETIMEDOUT', error: r.error?.message };
}

const parse = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};
const lastLines = (text) => text.trim().split('\n').slice(-3).join(' / ');

/**
 * The verdict on one `npm audit --json` run: `pass`, `fail` (a high or critical advisory for
 * something that ships, or an audit that could not run for a reason of ours, such as no lock
 * file) or `skipped` (the advisory service did not answer), with the lines to print.
 */
export function judgeAudit(result, lock) {
  if (result.timedOut) {
    return {
      outcome: 'skipped',
      lines: [`Dependency audit SKIPPED: the advisory service did not answer within ${TIMEOUT_MS / 1000} s. Nothing was checked. ${HOW_TO}`],
    };
  }
  const json = parse(result.stdout);
  if (!json?.metadata?.vulnerabilities || typeof json.vulnerabilities !== 'object') {
    // npm prints the endpoint's error as {"message", "uri", "statusCode"...} and says so on stderr.
    if (typeof json?.message === 'string' || /audit endpoint returned an error/.test(result.stderr)) {
      const why = json?.message ?? lastLines(result.stderr);
      return {
        outcome: 'skipped',
        lines: [`Dependency audit SKIPPED: the registry's advisory service could not be reached (${why}). Nothing was checked. ${HOW_TO}`],
      };
    }
    const why = json?.error?.summary || result.error || lastLines(result.stderr) || `npm exited with ${result.status}`;
    return { outcome: 'fail', lines: [`Dependency audit FAILED: npm audit could not run: ${why}`] };
  }

  const packages = lock.packages ?? {};
  const ships = (v) => SHIPPED_DEV_DEPENDENCIES.has(v.name) || (v.nodes ?? []).some((n) => packages[n]?.dev !== true);
  const describe = (v) => {
    const advisories = (v.via ?? []).map((a) => (typeof a === 'string' ? `through ${a}` : `${a.title} ${a.url ?? ''}`.trim()));
    const fix =
      v.fixAvailable === false
        ? 'no fix published'
        : v.fixAvailable === true
          ? 'fix: npm audit fix'
          : v.fixAvailable
            ? `fix: ${v.fixAvailable.name}@${v.fixAvailable.version}`
            : '';
    return `  ${v.name} (${v.severity}${v.range ? `, ${v.range}` : ''}): ${advisories.join('; ')}${fix ? ` [${fix}]` : ''}`;
  };
  const found = Object.values(json.vulnerabilities);
  const blocking = found.filter((v) => BLOCKING.includes(v.severity) && ships(v));
  const shippedOther = found.filter((v) => !BLOCKING.includes(v.severity) && ships(v));
  const devOnly = found.filter((v) => !ships(v));
  const lines = [];
  if (blocking.length) {
    lines.push(`Dependency audit FAILED: ${blocking.length} package(s) that ship with Shomei have high or critical advisories:`, ...blocking.map(describe));
  } else {
    lines.push('Dependency audit passed: no high or critical advisory for the production dependencies or Electron.');
  }
  if (shippedOther.length) lines.push(`Lower-severity advisories in shipped packages (to plan, not blocking):`, ...shippedOther.map(describe));
  if (devOnly.length) lines.push(`Advisories in development tools only (not shipped, not blocking):`, ...devOnly.map(describe));
  return { outcome: blocking.length ? 'fail' : 'pass', lines };
}

/** Runs the audit (`run` is replaceable for tests) and judges it against package-lock.json. */
export function runAudit({ run = runNpmAudit, lock } = {}) {
  return judgeAudit(run(), lock ?? JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')));
}

/**
 * The exit code: 1 on `fail`; with `require` (a deployment's scheduled audit, which must reach
 * the advisory service) also 1 on `skipped`.
 */
export const exitCodeOf = (verdict, { require = false } = {}) => (verdict.outcome === 'fail' || (verdict.outcome === 'skipped' && require) ? 1 : 0);

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const verdict = runAudit();
  const code = exitCodeOf(verdict, { require: process.argv.includes('--require') });
  for (const line of verdict.lines) (code ? console.error : console.log)(line);
  process.exitCode = code;
}
