import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onDurableWrite } from '../../service/adapters/files/durable-write.js';
import { HttpBrowser, parseForms } from '../support/http-browser.js';
import { startService, type RunningService } from '../support/service.js';

/**
 * What a student's sign-in costs in durable writes — files fsynced (each collection file, the
 * transaction journal) at the one place lowdb makes anything durable — over the whole sign-in:
 * /saml/login → IdP → ACS → /saml/complete → the first screen.
 */

describe('durable writes per sign-in', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService({});
  });
  afterAll(() => svc?.stop());

  /** The files made durable in the service's DATA_DIR while `work` runs, and what it returned. */
  async function writesDuring<T>(work: () => Promise<T>): Promise<{ files: string[]; result: T }> {
    const files: string[] = [];
    const dir = path.resolve(svc.dataDir) + path.sep;
    const stop = onDurableWrite((file) => {
      if (file.startsWith(dir)) files.push(path.relative(svc.dataDir, file));
    });
    try {
      return { files, result: await work() };
    } finally {
      stop();
    }
  }

  /** A demo student's whole sign-in in a new browser; the screen it ends on. */
  async function studentSignIn(user: string): Promise<string | undefined> {
    const browser = new HttpBrowser();
    const idpPage = await browser.get(`${svc.url}/saml/login?returnTo=/home`);
    const index = parseForms(idpPage.body, idpPage.url).findIndex((f) => f.fields.user === user);
    const autopost = await browser.submit(idpPage, {}, index);
    const done = await browser.submit(autopost, {}, 0, { stopAt: (u) => ['/home', '/mail/register', '/login'].includes(new URL(u).pathname) });
    return done.trail.at(-1);
  }

  it('signs a returning student in with at most three durable writes', async () => {
    const first = await writesDuring(() => studentSignIn('1'));
    expect(first.result).toBe(`${svc.url}/mail/register`);
    expect(first.files.length).toBeLessThanOrEqual(3);

    const again = await writesDuring(() => studentSignIn('1'));
    expect(again.result).toBe(`${svc.url}/mail/register`);
    // The replay cache (the assertion and its request used up), the account's login time, the session.
    expect(again.files.sort()).toEqual(['accounts.json', 'saml-assertions.json', 'sessions.json']);
  });
});
