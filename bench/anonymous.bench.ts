/**
 * npm run bench anonymous — what a new visitor's GET /api/session and a student's whole login
 * cost on an empty service and on one that has had ANONYMOUS_FLOOD (default 20,000) cookieless
 * GET /saml/login, each from its own client. Visitors who only look store nothing, so the two
 * should match. Prints numbers, asserts nothing (the data directory is checked by
 * test/integration/anonymous-visitors.test.ts).
 */
import { HttpBrowser, parseForms } from '../test/support/http-browser.js';
import { startService, type RunningService } from '../test/support/service.js';
import { measure, report } from './measure.js';

const FLOOD = Number(process.env.ANONYMOUS_FLOOD ?? 20_000);

async function newVisitor(svc: RunningService): Promise<void> {
  const res = await fetch(`${svc.url}/api/session`, { headers: { accept: 'application/json' } });
  await res.json();
}

/** The first demo student signs in completely: /saml/login, the demo IdP, the ACS and the hand-off. */
async function studentLogin(svc: RunningService): Promise<void> {
  const browser = new HttpBrowser();
  const idpPage = await browser.get(`${svc.url}/saml/login?returnTo=/home`);
  const autopost = await browser.submit(
    idpPage,
    {},
    parseForms(idpPage.body, idpPage.url).findIndex((f) => f.fields.user === '0'),
  );
  const done = await browser.submit(autopost, {}, 0, { stopAt: (u) => ['/mail/register', '/home', '/login'].includes(new URL(u).pathname) });
  if (new URL(done.trail.at(-1)!).pathname === '/login') throw new Error('the student login failed');
}

async function flood(svc: RunningService, count: number, parallel = 16): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        const res = await fetch(`${svc.url}/saml/login`, {
          redirect: 'manual',
          headers: { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
        });
        await res.arrayBuffer();
        if (res.status !== 302) throw new Error(`GET /saml/login answered ${res.status}`);
      }
    }),
  );
}

// The student logins come from one client, many a minute: no per-client limit here.
const env = { TRUST_PROXY: 'loopback', SAML_LOGIN_LIMIT: '100000' };
const [empty, flooded] = await Promise.all([startService(env), startService(env)]);
try {
  const started = performance.now();
  await flood(flooded, FLOOD);
  console.log(`${FLOOD} cookieless GET /saml/login in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const [title, svc] of [
    ['empty service', empty],
    [`after ${FLOOD} cookieless /saml/login`, flooded],
  ] as const) {
    report(title, [
      await measure('new visitor: GET /api/session', 300, () => newVisitor(svc)),
      await measure('student login (SAML, demo IdP)', 20, () => studentLogin(svc)),
    ]);
  }
} finally {
  await Promise.all([empty.stop(), flooded.stop()]);
}
