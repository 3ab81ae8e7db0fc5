/**
 * npm run bench http — the HTTP rows of the performance table: the BUILT service (as `npm start`
 * runs it, at LOG_LEVEL=info so the access log is paid for) beside a bare Express 5 app answering
 * `GET /` (bench/bare-express.ts), loaded in the same run by bench/load.ts over 64 keep-alive
 * connections; 3 interleaved rounds, medians of the per-round ratios, in requests per second and in
 * requests per CPU-second of each server (steady on a shared machine). Where `taskset` exists, each
 * server is pinned to CPU 0 and the load comes from CPU 1.
 *
 * The service runs in demo mode (its own demo IdP signs the student in): DEMO=0 needs a real IdP.
 * Prints the table and writes it into bench/results.md under "HTTP pipeline"; asserts nothing.
 *
 * Options: --seconds N (measured time per figure and round, default 5), --rounds N (default 3).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBuiltService, stopBuiltService } from '../test/support/built-service.js';
import { HttpBrowser, parseForms } from '../test/support/http-browser.js';
import { freePort } from '../test/support/ports.js';
import { cpuSecondsOf, load, type LoadOptions, type LoadResult } from './load.js';
import { writeSection } from './results.js';

const root = path.resolve(import.meta.dirname, '..');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 5);
const ROUNDS = arg('rounds', 3);
const CONNECTIONS = 64;

const pinned = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
if (pinned) spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });

function build(): void {
  // The service as `npm start` would run it: dist/ rebuilt when the sources changed.
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `import('${path.join(root, 'scripts/build-state.mjs')}').then((m) => m.buildServiceIfStale(${JSON.stringify(root)}, ${JSON.stringify(path.join(root, 'dist/service/server.js'))}))`,
    ],
    {
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('the service did not build');
}

const pin = (pid: number | undefined) => {
  if (pinned && pid) spawnSync('taskset', ['-cp', '0', String(pid)], { stdio: 'ignore' });
};

async function startBare(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/bare-express.ts')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /BARE_LISTENING (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the bare Express app exited (${code})`)));
  });
  child.stdout!.resume();
  pin(child.pid);
  return { child, port };
}

/** The first demo student signs in through the demo IdP; returns its cookies and CSRF token. */
async function signIn(url: string): Promise<{ cookie: string; csrfToken: string }> {
  const browser = new HttpBrowser();
  const idpPage = await browser.get(`${url}/saml/login?returnTo=/home`);
  const autopost = await browser.submit(
    idpPage,
    {},
    parseForms(idpPage.body, idpPage.url).findIndex((f) => f.fields.user === '0'),
  );
  const done = await browser.submit(autopost, {}, 0, { stopAt: (u) => ['/mail/register', '/home', '/login'].includes(new URL(u).pathname) });
  if (new URL(done.trail.at(-1)!).pathname === '/login') throw new Error('the student login failed');
  const sid = browser.cookie(url, 'shomei_sid');
  if (!sid) throw new Error('no session cookie after the login');
  const cookie = `shomei_sid=${sid}`;
  const session = (await (await fetch(`${url}/api/session`, { headers: { cookie, accept: 'application/json' } })).json()) as {
    csrfToken: string;
    signedIn: boolean;
  };
  if (!session.signedIn) throw new Error('the session is not signed in');
  return { cookie, csrfToken: session.csrfToken };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

build();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shomei-bench-http-'));
const servicePort = await freePort();
const service = await startBuiltService({
  DATA_DIR: dataDir,
  HOST: '127.0.0.1',
  PORT: String(servicePort),
  PUBLIC_URL: `http://127.0.0.1:${servicePort}`,
  LOG_LEVEL: 'info',
});
pin(service.pid);
const bare = await startBare();
try {
  const url = `http://127.0.0.1:${servicePort}`;
  const { cookie, csrfToken } = await signIn(url);
  const serviceCpu = () => cpuSecondsOf(service.pid!);
  const figures: Record<string, Omit<LoadOptions, 'connections' | 'durationMs'>> = {
    bare: { port: bare.port, method: 'GET', path: '/', cpuSeconds: () => cpuSecondsOf(bare.child.pid!) },
    me: { port: servicePort, method: 'GET', path: '/api/me', headers: { cookie, accept: 'application/json' }, cpuSeconds: serviceCpu },
    language: {
      port: servicePort,
      method: 'PUT',
      path: '/api/language',
      headers: { cookie, accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfToken, origin: url },
      // Each request changes the language: every one is a durable write of the account.
      bodies: [JSON.stringify({ language: 'en' }), JSON.stringify({ language: 'ja' })],
      cpuSeconds: serviceCpu,
    },
    healthz: { port: servicePort, method: 'GET', path: '/healthz', cpuSeconds: serviceCpu },
  };
  const results: Record<'bare' | 'me' | 'language' | 'healthz', LoadResult[]> = { bare: [], me: [], language: [], healthz: [] };
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const [name, figure] of Object.entries(figures)) {
      const r = await load({ ...figure, connections: CONNECTIONS, durationMs: SECONDS * 1000 });
      results[name as keyof typeof results].push(r);
      console.log(
        `round ${round} ${name.padEnd(8)} ${String(r.perSecond).padStart(6)} req/s  ${String(r.perCpuSecond).padStart(6)} req/CPU-s  p50 ${r.p50ms} ms  p99 ${r.p99ms} ms  first byte p50 ${r.firstByteP50ms} ms`,
      );
    }
  }
  /** Median over the rounds of ours ÷ the bare app's in the same round. */
  const ratio = (name: keyof typeof results, key: 'perSecond' | 'perCpuSecond') => median(results[name].map((r, i) => r[key] / results.bare[i]![key]));
  const med = (name: keyof typeof results, key: keyof LoadResult) => median(results[name].map((r) => r[key]));
  const yes = (ok: boolean) => (ok ? 'yes' : '**no**');
  const x = (n: number) => `${n.toFixed(2)} ×`;
  const figure = (name: keyof typeof results) =>
    `${med(name, 'perSecond')} req/s, ${med(name, 'perCpuSecond')} req/CPU-s, p50 ${med(name, 'p50ms')} / p99 ${med(name, 'p99ms')} ms`;
  const meP99 = med('me', 'p99ms');
  const rows = [
    '| figure | ours | baseline: bare Express 5 `GET /` | ratio per CPU-second | ratio in req/s | goal | met? |',
    '|---|---|---|---|---|---|---|',
    `| \`GET /api/me\`, signed in, ${CONNECTIONS} connections | ${figure('me')} | ${figure('bare')} | ${x(ratio('me', 'perCpuSecond'))} | ${x(ratio('me', 'perSecond'))} | ≥ 0.5 ×, p99 ≤ 25 ms | ratio ${yes(ratio('me', 'perCpuSecond') >= 0.5)}, p99 ${yes(meP99 <= 25)} |`,
    `| \`PUT /api/language\` with CSRF, a durable write each, ${CONNECTIONS} connections | ${figure('language')} | same | ${x(ratio('language', 'perCpuSecond'))} | ${x(ratio('language', 'perSecond'))} | ≥ 0.3 × | ${yes(ratio('language', 'perCpuSecond') >= 0.3)} |`,
    `| \`GET /healthz\`, ${CONNECTIONS} connections (time to first byte p50 ${med('healthz', 'firstByteP50ms')} ms; bare ${med('bare', 'firstByteP50ms')} ms) | ${figure('healthz')} | same | ${x(ratio('healthz', 'perCpuSecond'))} | ${x(ratio('healthz', 'perSecond'))} | answered first, before the access log, session and CSRF | — |`,
  ];
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} at the end (other work on the machine); ${pinned ? 'servers pinned to CPU 0, load from CPU 1' : 'not pinned (no taskset)'}; ${ROUNDS} interleaved rounds of ${SECONDS} s per figure; ${new Date().toISOString().slice(0, 16)}Z`;
  const table = [
    `Measured on ${machine}. Service: the built service (\`dist/service/server.js\`) in demo mode, LOG_LEVEL=info, lowdb (DATA_DIR on the local disk).`,
    '',
    'The goals are ratios of a server given a whole core. On a machine shared with other work a server gets only a slice of its core, so',
    '**requests per CPU-second** of each server (its CPU time read from /proc during the measured seconds) is the ratio judged; the',
    'ratio in requests per second and the latencies are shown too, and they move with whatever else the machine runs.',
    '',
    ...rows,
  ].join('\n');
  console.log(`\n${table}\n`);
  writeSection('HTTP pipeline', table);
} finally {
  bare.child.kill('SIGTERM');
  await stopBuiltService(service);
  rmSync(dataDir, { recursive: true, force: true });
}
