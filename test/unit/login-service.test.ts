import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LowdbStore } from '../../service/adapters/lowdb/store.js';
import { hashSecret } from '../../service/domain/crypto.js';
import { DomainError } from '../../service/domain/errors.js';
import { LoginService, type IncomingSamlMessage, type SingleLogout } from '../../service/domain/login.js';
import type { SamlSessionRef, Session } from '../../service/domain/model.js';
import type { IdentityProvider, VerifiedAssertion } from '../../service/domain/ports.js';
import { identity, random, tempStore, TestClock } from '../support/factories.js';

/** An IdP whose "responses" are names of assertions the test prepared. */
class FakeIdp implements IdentityProvider, SingleLogout {
  readonly entityId = 'https://idp.example.ac.jp/idp/shibboleth';
  readonly requests: { requestId: string; forceAuthn: boolean; relayState: string }[] = [];
  readonly assertions = new Map<string, VerifiedAssertion>();
  slo = true;
  private serial = 0;

  async createLoginRequest(options: { forceAuthn: boolean; relayState: string }) {
    const requestId = `_req${++this.serial}`;
    this.requests.push({ requestId, ...options });
    return { requestId, url: `https://idp.example.ac.jp/sso?id=${requestId}` };
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
  let store: LowdbStore;
  let clock: TestClock;
  let idp: FakeIdp;
  let login: LoginService;
  const mySession = hashSecret('my-session');
  const otherSession = hashSecret('other-session');

  beforeEach(async () => {
    store = await tempStore();
    clock = new TestClock();
    idp = new FakeIdp();
    login = new LoginService(store, idp, clock, random);
  });
  afterEach(() => store.close());

  /** Starts a login for `session` and prepares the IdP's answer to it. */
  async function loginAnswered(session = mySession, relayState: unknown = '/home', assertionId = `_a${Math.random()}`) {
    await login.start({ sessionIdHash: session, relayState, forceAuthn: false });
    const { requestId } = idp.requests.at(-1)!;
    const response = `response-for-${requestId}-${assertionId}`;
    const who = identity();
    idp.assertions.set(response, { identity: who, assertionId, inResponseTo: requestId, notOnOrAfter: new Date(clock.now().getTime() + 300_000).toISOString() });
    return { requestId, response, who };
  }

  it('starts at the IdP with a pending request bound to the session', async () => {
    const url = await login.start({ sessionIdHash: mySession, relayState: '/mail/change', forceAuthn: true });
    const [request] = idp.requests;
    expect(url).toBe(`https://idp.example.ac.jp/sso?id=${request!.requestId}`);
    expect(request).toMatchObject({ forceAuthn: true, relayState: '/mail/change' });
  });

  it('never passes a foreign RelayState on', async () => {
    await login.start({ sessionIdHash: mySession, relayState: 'https://evil.example/', forceAuthn: false });
    expect(idp.requests[0]!.relayState).toBe('/home');
  });

  it('hands a verified login to the browser session that started it', async () => {
    const { response, who } = await loginAnswered(mySession, '/manual');
    const code = await login.acceptResponse(response);
    expect(Buffer.from(code, 'base64url')).toHaveLength(32);
    expect(await login.complete(code, mySession)).toEqual({ identity: who, relayState: '/manual' });
  });

  it('refuses to finish a login in another browser session', async () => {
    const { response } = await loginAnswered(mySession);
    const code = await login.acceptResponse(response);
    expect((await rejection(login.complete(code, otherSession))).code).toBe('saml.unbound');
    expect((await rejection(login.complete(code, null))).code).toBe('saml.invalid');
  });

  it('refuses to finish without any session', async () => {
    const { response } = await loginAnswered(mySession);
    const code = await login.acceptResponse(response);
    expect((await rejection(login.complete(code, null))).code).toBe('saml.unbound');
  });

  it('uses a hand-off code once', async () => {
    const { response } = await loginAnswered();
    const code = await login.acceptResponse(response);
    await login.complete(code, mySession);
    expect((await rejection(login.complete(code, mySession))).detail).toMatch(/unknown, used or expired/);
  });

  it('lets a hand-off code expire after two minutes', async () => {
    const { response } = await loginAnswered();
    const code = await login.acceptResponse(response);
    clock.advance(121);
    expect((await rejection(login.complete(code, mySession))).code).toBe('saml.invalid');
  });

  it('refuses malformed hand-off codes', async () => {
    for (const code of [undefined, '', 'short', ['a'], 'x'.repeat(43) + '!']) {
      expect((await rejection(login.complete(code, mySession))).code).toBe('saml.invalid');
    }
  });

  it('refuses a response to a request it never sent', async () => {
    const who = identity();
    idp.assertions.set('unsolicited', { identity: who, assertionId: '_x', inResponseTo: '_never-sent', notOnOrAfter: clock.now().toISOString() });
    expect((await rejection(login.acceptResponse('unsolicited'))).detail).toMatch(/InResponseTo _never-sent/);
  });

  it('answers each request once', async () => {
    const { requestId, response } = await loginAnswered();
    await login.acceptResponse(response);
    // Another (validly signed) assertion answering the same request.
    idp.assertions.set('second', { identity: identity(), assertionId: '_other', inResponseTo: requestId, notOnOrAfter: clock.now().toISOString() });
    expect((await rejection(login.acceptResponse('second'))).detail).toMatch(/already answered/);
  });

  it('refuses a response after the request expired (10 minutes)', async () => {
    const { response } = await loginAnswered();
    clock.advance(601);
    expect((await rejection(login.acceptResponse(response))).code).toBe('saml.invalid');
  });

  it('refuses a replayed assertion even for a fresh request', async () => {
    const first = await loginAnswered(mySession, '/home', '_same-assertion');
    await login.acceptResponse(first.response);
    const second = await loginAnswered(mySession, '/home', '_same-assertion');
    expect((await rejection(login.acceptResponse(second.response))).detail).toMatch(/replay/);
  });

  it('passes the IdP adapter refusal on and parks nothing', async () => {
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
      expect(await login.handleLogoutMessage({ binding: 'redirect', params: { SAMLResponse: 'success' } })).toEqual({ redirect: '/login?loggedOut=1', nameId: null });
      expect((await rejection(login.handleLogoutMessage({ binding: 'redirect', params: { SAMLResponse: 'failure' } }))).code).toBe('saml.invalid');
      expect((await rejection(login.handleLogoutMessage({ binding: 'redirect', params: {} }))).code).toBe('saml.invalid');
    });
  });
});
