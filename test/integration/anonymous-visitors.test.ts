import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS_FILE, type DemoUser } from '../../service/demo/demo-idp.js';
import { HttpBrowser, parseForms } from '../support/http-browser.js';
import { startService, type RunningService } from '../support/service.js';

/**
 * Cookieless GET /saml/login requests in the flood. Each one signs an AuthnRequest (RSA), so
 * 20,000 take 40–80 s on two shared cores; 5,000 keep this file near 20 s and still show what
 * stored anonymous sessions and pending requests did (2.5 MB more data, a new visitor 4× slower).
 * ANONYMOUS_FLOOD=20000 runs the full count.
 */
const FLOOD = Number(process.env.ANONYMOUS_FLOOD ?? 5_000);
const demoUsers = JSON.parse(readFileSync(DEMO_USERS_FILE, 'utf8')) as DemoUser[];

/** Bytes of every file under `dir`. */
function dirSize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return total;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** A browser nobody knows yet asks who it is (what the login screen does first). */
async function newVisitor(svc: RunningService): Promise<void> {
  const res = await fetch(`${svc.url}/api/session`, { headers: { accept: 'application/json' } });
  expect(res.status).toBe(200);
  await res.json();
}

/** A demo student signs in completely: /saml/login, the demo IdP, the ACS and the hand-off. */
async function studentLogin(svc: RunningService): Promise<void> {
  const browser = new HttpBrowser();
  const idpPage = await browser.get(`${svc.url}/saml/login?returnTo=/home`);
  const autopost = await browser.submit(idpPage, {}, parseForms(idpPage.body, idpPage.url).findIndex((f) => f.fields.user === '0'));
  const done = await browser.submit(autopost, {}, 0, { stopAt: (u) => ['/mail/register', '/home', '/login'].includes(new URL(u).pathname) });
  expect(new URL(done.trail.at(-1)!).pathname).not.toBe('/login');
}

/** `count` cookieless GET /saml/login, `parallel` at a time, each answered by a redirect to the IdP. */
async function flood(svc: RunningService, count: number, parallel = 16): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        next += 1;
        const res = await fetch(`${svc.url}/saml/login`, { redirect: 'manual' });
        await res.arrayBuffer();
        if (res.status !== 302) throw new Error(`GET /saml/login answered ${res.status}`);
      }
    }),
  );
}

describe('anonymous visitors', () => {
  // Two services under the same load: one stays empty, one takes the flood. Measured in turns,
  // so that whatever else runs on the machine weighs on both alike.
  let empty: RunningService;
  let flooded: RunningService;
  beforeAll(async () => {
    [empty, flooded] = await Promise.all([startService(), startService()]);
    expect(demoUsers.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await Promise.all([empty?.stop(), flooded?.stop()]);
  });

  it(`leave no trace: after ${FLOOD} cookieless /saml/login a new visitor and a student login cost what they cost on an empty service`, async () => {
    // Warm-up on both: first requests load fonts, keys and schemas.
    for (const svc of [empty, flooded]) {
      for (let i = 0; i < 20; i++) await newVisitor(svc);
      await studentLogin(svc);
    }
    const sizeBefore = dirSize(flooded.dataDir);

    const started = performance.now();
    await flood(flooded, FLOOD);
    const floodSeconds = (performance.now() - started) / 1000;
    const grown = dirSize(flooded.dataDir) - sizeBefore;

    const visitor = { empty: [] as number[], flooded: [] as number[] };
    for (let i = 0; i < 60; i++) {
      visitor.empty.push(await timed(() => newVisitor(empty)));
      visitor.flooded.push(await timed(() => newVisitor(flooded)));
    }
    const login = { empty: [] as number[], flooded: [] as number[] };
    for (let i = 0; i < 5; i++) {
      login.empty.push(await timed(() => studentLogin(empty)));
      login.flooded.push(await timed(() => studentLogin(flooded)));
    }
    const report = {
      floodSeconds: Number(floodSeconds.toFixed(1)),
      grownBytes: grown,
      visitorMs: { empty: median(visitor.empty), flooded: median(visitor.flooded) },
      loginMs: { empty: median(login.empty), flooded: median(login.flooded) },
    };
    console.log(`anonymous visitors: ${JSON.stringify(report)}`);

    // Nothing is kept for a visitor who only looked: the data directory stays as it was.
    expect(grown, 'bytes the data directory grew by').toBeLessThan(4096);
    expect(report.visitorMs.flooded).toBeLessThan(2 * report.visitorMs.empty);
    expect(report.loginMs.flooded).toBeLessThan(2 * report.loginMs.empty);
  }, 120_000);
});
