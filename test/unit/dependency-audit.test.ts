import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `npm run audit` (scripts/audit.mjs) decides from `npm audit --json`: here npm is a fake that
 * answers as npm does, so the decision is tested without the advisory service.
 */

interface AuditRun {
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
}
interface Verdict {
  outcome: 'pass' | 'fail' | 'skipped';
  lines: string[];
}
type Lock = { packages: Record<string, { dev?: boolean }> };
const script = pathToFileURL(path.resolve(import.meta.dirname, '../../scripts/audit.mjs')).href;
const { runAudit, exitCodeOf } = (await import(script)) as {
  runAudit(o: { run: () => AuditRun; lock: Lock }): Verdict;
  exitCodeOf(v: Verdict, o?: { require?: boolean }): number;
};

const lock: Lock = {
  packages: {
    '': {},
    'node_modules/samlify': {},
    'node_modules/node-rsa': {},
    'node_modules/vite': { dev: true },
    'node_modules/electron': { dev: true },
    'node_modules/pino': {},
  },
};

type Severity = 'info' | 'low' | 'moderate' | 'high' | 'critical';
interface Vulnerability {
  name: string;
  severity: Severity;
  via: (string | Record<string, unknown>)[];
  nodes: string[];
  [more: string]: unknown;
}
const advisory = (name: string, severity: Severity, title: string): Vulnerability => ({
  name,
  severity,
  isDirect: false,
  via: [{ source: 1, name, dependency: name, title, url: `https://advisories.example/${name}`, severity, cwe: [], cvss: {}, range: '<99' }],
  effects: [],
  range: '<99',
  nodes: [`node_modules/${name}`],
  fixAvailable: false,
});
/** What `npm audit --json` prints when the advisory service answers. */
function report(...found: Vulnerability[]): AuditRun {
  const counts = { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: found.length };
  for (const f of found) counts[f.severity]++;
  const json = {
    auditReportVersion: 2,
    vulnerabilities: Object.fromEntries(found.map((f) => [f.name, f])),
    metadata: { vulnerabilities: counts, dependencies: {} },
  };
  return { status: counts.high + counts.critical ? 1 : 0, stdout: JSON.stringify(json, null, 2), stderr: '' };
}
const judge = (answer: AuditRun) => runAudit({ run: () => answer, lock });

describe('the dependency audit (npm run audit)', () => {
  it('fails on a high or critical advisory for a production dependency, naming it and the advisory', () => {
    const samlify = { ...advisory('samlify', 'high', ''), via: ['node-rsa'] };
    const verdict = judge(report(advisory('node-rsa', 'critical', 'Timing side channel'), samlify));
    expect(verdict.outcome).toBe('fail');
    expect(verdict.lines[0]).toMatch(/^Dependency audit FAILED: 2 package\(s\) that ship with Shomei/);
    expect(verdict.lines).toContain('  node-rsa (critical, <99): Timing side channel https://advisories.example/node-rsa [no fix published]');
    expect(verdict.lines).toContain('  samlify (high, <99): through node-rsa [no fix published]');
    expect(exitCodeOf(verdict)).toBe(1);
  });

  it('fails on a high advisory for Electron: a devDependency, but the kiosk runs on it', () => {
    expect(judge(report(advisory('electron', 'high', 'Renderer escape'))).outcome).toBe('fail');
  });

  it('passes when the service answers with nothing high or critical that ships, listing the rest', () => {
    expect(judge(report())).toEqual({
      outcome: 'pass',
      lines: ['Dependency audit passed: no high or critical advisory for the production dependencies or Electron.'],
    });
    expect(exitCodeOf(judge(report()), { require: true })).toBe(0);
    const verdict = judge(report(advisory('pino', 'moderate', 'Log injection'), advisory('vite', 'critical', 'Dev server file read')));
    expect(verdict.outcome).toBe('pass');
    expect(verdict.lines.join('\n')).toMatch(/to plan, not blocking\):\n {2}pino \(moderate.*\nAdvisories in development tools only.*\n {2}vite \(critical/);
  });

  it('says plainly that it was skipped, without failing, when the advisory service cannot be reached', () => {
    const refused = {
      status: 1,
      stdout: JSON.stringify({
        message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
        statusCode: 405,
        body: '',
        error: { summary: '', detail: '' },
      }),
      stderr: 'npm warn audit 405 Method Not Allowed\nnpm error audit endpoint returned an error\n',
    };
    const offline = {
      status: 1,
      stdout: JSON.stringify({
        message: 'request to https://registry.example/-/npm/v1/security/advisories/bulk failed, reason: getaddrinfo ENOTFOUND registry.example',
        error: { summary: '', detail: '' },
      }),
      stderr: 'npm error audit endpoint returned an error\n',
    };
    for (const answer of [refused, offline, { status: null, stdout: '', stderr: '', timedOut: true }]) {
      const verdict = judge(answer);
      expect(verdict.outcome).toBe('skipped');
      expect(verdict.lines).toHaveLength(1);
      expect(verdict.lines[0]).toMatch(
        /^Dependency audit SKIPPED: .*Nothing was checked\. Run `npm run audit` on a machine that reaches the registry's advisory service/,
      );
    }
    expect(judge(refused).lines[0]).toContain('(405 Method Not Allowed - POST');
    // CI goes on; a deployment's scheduled audit (--require) must not pass without an answer.
    expect(exitCodeOf(judge(refused))).toBe(0);
    expect(exitCodeOf(judge(refused), { require: true })).toBe(1);
  });

  it('fails, not skips, when npm audit cannot run for a reason of ours (no lock file)', () => {
    const noLock = {
      status: 1,
      stdout: JSON.stringify({ error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.', detail: '' } }),
      stderr: 'npm error code ENOLOCK\n',
    };
    expect(judge(noLock)).toEqual({
      outcome: 'fail',
      lines: ['Dependency audit FAILED: npm audit could not run: This command requires an existing lockfile.'],
    });
  });
});
