import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../service/domain/errors.js';
import {
  createLoginService,
  type LoginService,
  PENDING_REQUESTS_PER_BROWSER,
  requestIdOf,
  type IncomingSamlMessage,
  type SingleLogout,
} from '../../service/domain/login.js';
import type { PendingAuthnRequest, SamlSessionRef, Session } from '../../service/domain/model.js';
import type { IdentityProvider, VerifiedAssertion } from '../../service/domain/ports.js';
import type { LowdbStore } from '../../service/adapters/lowdb/store.js';
import type { Stores } from '../../service/domain/stores.js';
import { identity, random, tempStores, TestClock } from '../support/factories.js';

/** An IdP whose "responses" are names of assertions the test prepared. */
class FakeIdp implements IdentityProvider, SingleLogout {
  readonly entityId = 'https://idp.example.ac.jp/idp/shibboleth';
  readonly requests: { requestId: string; forceAuthn: boolean; relayState: string }[] = [];
  readonly assertions = new Map<string, VerifiedAssertion>();
  slo = true;

  async createLoginRequest(options: { requestId: string; forceAuthn: boolean; relayState: string }) {
    this.requests.push(options);
    return { url: `https://idp.example.ac.jp/sso?id=${options.requestId}` };
  }
  async verifyLoginResponse(samlResponse: string): Promise<VerifiedAssertion> {
    const a = this.assertions.get(samlResponse);
    if (!a) throw new DomainError('saml.invalid', {}, 'bad signature');
    return a;
  }
  metadata() {
    return '<EntityDescriptor/>';
  }
  async createLogoutRequest(ref: SamlSessionRef) {
    return this.slo ? `https://idp.example.ac.jp/slo?nameId=${ref.nameId}` : null;
  }
  async verifyLogoutRequest(message: IncomingSamlMessage) {
    if (message.params.Signature !== 'ok') throw new DomainError('saml.invalid', {}, 'unsigned');
    return { requestId: '_lr1', nameId: message.params.SAMLRequest!, sessionIndexes: [] };
  }
  async createLogoutResponse(inResponseTo: string) {
    return this.slo ? `https://idp.example.ac.jp/slo?response=${inResponseTo}` : null;
  }
  async verifyLogoutResponse(message: IncomingSamlMessage) {
    return message.params.SAMLResponse === 'success';
  }
}

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

describe('login service', () => {
  let stores: Stores;
  let store: LowdbStore;
  let clock: TestClock;
  let idp: FakeIdp;
  let login: LoginService;

  beforeEach(async () => {
    clock = new TestClock();
    stores = await tempStores(clock);
    // The lowdb family: its counts show what is stored.
    store = stores.store as LowdbStore;
    idp = new FakeIdp();
    login = createLoginService({ store, transaction: (work) => stores.transaction(work), idp, clock, random, handOffKey: randomBytes(32) });
  });
  afterEach(() => stores.close());

  /** A browser: the pending requests its cookie holds, as the HTTP layer keeps them. */
  class Browser {
    pending: PendingAuthnRequest[] = [];
    async start(relayState: unknown = '/home', forceAuthn = false) {
      const started = await login.start({ relayState, forceAuthn, pending: this.pending });
      this.pending = started.pending;
      return started.url;
    }
    async complete(code: unknown) {
      const done = await login.complete(code, this.pending);
      this.pending = done.pending;
      return { identity: done.identity, relayState: done.relayState };
    }
  }

  /** The IdP's (validly signed) answer to `requestId`. */
  function answer(requestId: string, assertionId = `_a${Math.random()}`) {
    const response = `response-for-${requestId}-${assertionId}`;
    const who = identity();
    idp.assertions.set(response, {
      identity: who,
      assertionId,
      inResponseTo: requestId,
      notOnOrAfter: new Date(clock.now().getTime() + 300_000).toISOString(),
    });
    return { response, who };
  }

  /** Starts a login in `browser` and prepares the IdP's answer to it. */
  async function loginAnswered(browser = new Browser(), relayState: unknown = '/home', assertionId?: string) {
    await browser.start(relayState);
    const { requestId } = idp.requests.at(-1)!;
    return { browser, requestId, ...answer(requestId, assertionId) };
  }

  it('starts at the IdP and stores nothing: the browser keeps the pending request', async () => {
    const browser = new Browser();
    const url = await browser.start('/mail/change', true);
    const [request] = idp.requests;
    expect(url).toBe(`https://idp.example.ac.jp/sso?id=${request!.requestId}`);
    expect(request).toMatchObject({ forceAuthn: true, relayState: '/mail/change' });
    expect(browser.pending).toHaveLength(1);
    expect(request!.requestId).toBe(requestIdOf(browser.pending[0]!));
    expect(request!.requestId).toMatch(/^_[0-9a-f]{64}$/);
    expect(Buffer.from(browser.pending[0]!.secret, 'base64url')).toHaveLength(32);
    expect(store.counts()).toEqual({ accounts: 0, sessions: 0, tokens: 0, samlAssertions: 0 });
  });

  it('never passes a foreign RelayState on', async () => {
    await new Browser().start('https://evil.example/');
    expect(idp.requests[0]!.relayState).toBe('/home');
  });

  it('hands a verified login to the browser that started it', async () => {
    const { browser, response, who } = await loginAnswered(new Browser(), '/manual');
    const code = await login.acceptResponse(response);
    expect(code).toMatch(/^[A-Za-z0-9_-]+$/);
    // The ACS writes nothing; completing uses up the assertion and the request it answers.
    expect(store.counts()).toMatchObject({ samlAssertions: 0 });
    expect(await browser.complete(code)).toEqual({ identity: who, relayState: '/manual' });
    expect(store.counts()).toMatchObject({ samlAssertions: 2 });
  });

  it('refuses to finish a login in another browser', async () => {
    const { response } = await loginAnswered();
    const other = new Browser();
    await other.start();
    const code = await login.acceptResponse(response);
    expect((await rejection(other.complete(code))).code).toBe('saml.unbound');
  });

  it('refuses to finish without any pending request', async () => {
    const { response } = await loginAnswered();
    const code = await login.acceptResponse(response);
    expect((await rejection(new Browser().complete(code))).code).toBe('saml.unbound');
  });

  it('refuses a browser that forges a pending request for a response it saw (the secret is missing)', async () => {
    const { browser, requestId, response } = await loginAnswered();
    const code = await login.acceptResponse(response);
    const mine = browser.pending[0]!;
    const forgeries: PendingAuthnRequest[] = [
      { ...mine, secret: random.token(32) },
      { ...mine, relayState: '/manual' },
      { ...mine, createdAt: new Date(Date.parse(mine.createdAt) + 1000).toISOString() },
    ];
    for (const forged of forgeries) expect(requestIdOf(forged)).not.toBe(requestId);
    expect((await rejection(login.complete(code, forgeries))).code).toBe('saml.unbound');
  });

  it('keeps a few pending requests per browser, so a login started in two tabs completes in either', async () => {
    const browser = new Browser();
    const first = await loginAnswered(browser, '/manual');
    await loginAnswered(browser, '/home');
    expect(await browser.complete(await login.acceptResponse(first.response))).toMatchObject({ relayState: '/manual' });
    for (let i = 0; i < 5; i += 1) await browser.start();
    expect(browser.pending).toHaveLength(PENDING_REQUESTS_PER_BROWSER);
  });

  it('uses a hand-off code once', async () => {
    const { browser, response } = await loginAnswered();
    const code = await login.acceptResponse(response);
    await browser.complete(code);
    expect((await rejection(browser.complete(code))).detail).toMatch(/unknown, used or expired/);
  });

  it('lets a hand-off code expire after two minutes', async () => {
    const { browser, response } = await loginAnswered();
    const code = await login.acceptResponse(response);
    clock.advance(121);
    expect((await rejection(browser.complete(code))).code).toBe('saml.invalid');
  });

  it('refuses malformed hand-off codes', async () => {
    const browser = new Browser();
    for (const code of [undefined, '', 'short', ['a'], 'x'.repeat(43) + '!']) {
      expect((await rejection(browser.complete(code))).code).toBe('saml.invalid');
    }
  });

  it('refuses at once a response to a request it could never have sent', async () => {
    const who = identity();
    idp.assertions.set('unsolicited', { identity: who, assertionId: '_x', inResponseTo: '_never-sent', notOnOrAfter: clock.now().toISOString() });
    expect((await rejection(login.acceptResponse('unsolicited'))).detail).toMatch(/InResponseTo _never-sent is not a request of ours/);
  });

  it('answers each request once, even for a browser that kept its old cookie', async () => {
    const { browser, requestId, response } = await loginAnswered();
    const keptCookie = browser.pending;
    await browser.complete(await login.acceptResponse(response));
    // Another (validly signed) assertion answering the same request.
    const second = answer(requestId, '_other');
    expect((await rejection(login.acceptResponse(second.response))).detail).toMatch(/answered before/);
    expect(keptCookie.map(requestIdOf)).toContain(requestId);
  });

  it('refuses a response that arrives after the request expired (10 minutes)', async () => {
    const { browser, response } = await loginAnswered();
    clock.advance(601);
    const code = await login.acceptResponse(response);
    expect((await rejection(browser.complete(code))).detail).toMatch(/expired/);
    // An expired request is no longer kept either.
    await browser.start();
    expect(browser.pending).toHaveLength(1);
  });

  it('refuses a replayed assertion even for a fresh request', async () => {
    const first = await loginAnswered(new Browser(), '/home', '_same-assertion');
    await first.browser.complete(await login.acceptResponse(first.response));
    const second = await loginAnswered(new Browser(), '/home', '_same-assertion');
    expect((await rejection(login.acceptResponse(second.response))).detail).toMatch(/replay/);
  });

  it('signs an assertion in once even when it was accepted twice before either completed', async () => {
    const first = await loginAnswered(new Browser(), '/home', '_twice');
    const second = await loginAnswered(new Browser(), '/home', '_twice');
    const [firstCode, secondCode] = [await login.acceptResponse(first.response), await login.acceptResponse(second.response)];
    await first.browser.complete(firstCode);
    expect((await rejection(second.browser.complete(secondCode))).detail).toMatch(/replay/);
  });

  it('refuses a hand-off code that was changed, or sealed with another key', async () => {
    const { browser, response } = await loginAnswered();
    const code = await login.acceptResponse(response);
    const changed = code.slice(0, 30) + (code[30] === 'A' ? 'B' : 'A') + code.slice(31);
    expect((await rejection(browser.complete(changed))).detail).toMatch(/unknown, used or expired/);
    const elsewhere = createLoginService({ store, transaction: (work) => stores.transaction(work), idp, clock, random, handOffKey: randomBytes(32) });
    expect((await rejection(elsewhere.complete(code, browser.pending))).detail).toMatch(/unknown, used or expired/);
    await browser.complete(code);
  });

  it('carries the identity in the hand-off code unreadably', async () => {
    const { response, who } = await loginAnswered();
    const code = await login.acceptResponse(response);
    const bytes = Buffer.from(code, 'base64url').toString('latin1');
    expect(bytes).not.toContain(who.userId);
    expect(bytes).not.toContain(who.mail!);
  });

  it('passes the IdP adapter refusal on', async () => {
    await loginAnswered();
    expect((await rejection(login.acceptResponse('forged'))).detail).toBe('bad signature');
    expect((await rejection(login.acceptResponse(undefined))).detail).toMatch(/no SAMLResponse/);
  });

  describe('single logout', () => {
    const ref: SamlSessionRef = { idpEntityId: 'https://idp.example.ac.jp/idp/shibboleth', nameId: 'n-1', nameIdFormat: null, sessionIndex: '_s1' };
    const session = (idHash: string, saml: SamlSessionRef | null): Session => ({
      idHash,
      accountId: 'acc',
      csrfToken: 't',
      kiosk: false,
      createdAt: clock.now().toISOString(),
      lastSeenAt: clock.now().toISOString(),
      expiresAt: new Date(clock.now().getTime() + 3_600_000).toISOString(),
      saml,
    });

    it('sends a SAML session to the IdP single logout', async () => {
      expect(await login.logoutUrl(session('a', ref))).toBe('https://idp.example.ac.jp/slo?nameId=n-1');
    });

    it('logs out locally only without an IdP session or an SLO endpoint', async () => {
      expect(await login.logoutUrl(session('a', null))).toBeNull();
      expect(await login.logoutUrl(session('a', { ...ref, idpEntityId: 'https://old-idp.example' }))).toBeNull();
      idp.slo = false;
      expect(await login.logoutUrl(session('a', ref))).toBeNull();
    });

    it('ends the sessions named by an IdP LogoutRequest and answers it', async () => {
      await store.sessions.put(session('mine', ref));
      await store.sessions.put(session('also-mine', { ...ref, sessionIndex: '_s2' }));
      await store.sessions.put(session('someone-else', { ...ref, nameId: 'n-2' }));
      const result = await login.handleLogoutMessage({ binding: 'redirect', params: { SAMLRequest: 'n-1', Signature: 'ok' } });
      expect(result).toEqual({ redirect: 'https://idp.example.ac.jp/slo?response=_lr1', nameId: 'n-1' });
      expect(await store.sessions.get('mine')).toBeNull();
      expect(await store.sessions.get('also-mine')).toBeNull();
      expect(await store.sessions.get('someone-else')).not.toBeNull();
    });

    it('ends nothing for an unverified LogoutRequest', async () => {
      await store.sessions.put(session('mine', ref));
      expect((await rejection(login.handleLogoutMessage({ binding: 'redirect', params: { SAMLRequest: 'n-1' } }))).code).toBe('saml.invalid');
      expect(await store.sessions.get('mine')).not.toBeNull();
    });

    it('leads a LogoutResponse back to the login screen', async () => {
      expect(await login.handleLogoutMessage({ binding: 'redirect', params: { SAMLResponse: 'success' } })).toEqual({
        redirect: '/login?loggedOut=1',
        nameId: null,
      });
      expect((await rejection(login.handleLogoutMessage({ binding: 'redirect', params: { SAMLResponse: 'failure' } }))).code).toBe('saml.invalid');
      expect((await rejection(login.handleLogoutMessage({ binding: 'redirect', params: {} }))).code).toBe('saml.invalid');
    });
  });
});
