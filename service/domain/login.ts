import { createHash } from 'node:crypto';
import { addSeconds, openSealedJson, sealJson } from './crypto.js';
import { DomainError } from './errors.js';
import type { PendingAuthnRequest, SamlIdentity, SamlSessionRef, Session } from './model.js';
import type { Clock, IdentityProvider, Random, Store } from './ports.js';
import type { UnitOfWork } from './stores.js';

/** How long the IdP may take to answer an AuthnRequest (the user types a password meanwhile). */
export const AUTHN_REQUEST_SECONDS = 10 * 60;
/** How many unanswered AuthnRequests one browser keeps (a login started in several tabs). */
export const PENDING_REQUESTS_PER_BROWSER = 3;
/** How long the one-time hand-off code from /saml/acs to /saml/complete lives. */
export const HANDOFF_SECONDS = 2 * 60;

/** Screens a login may return to; anything else goes to DEFAULT_RETURN. */
export const RETURN_PATHS: readonly string[] = ['/home', '/mail/register', '/mail/change', '/mail/sent', '/manual'];
export const DEFAULT_RETURN = '/home';

/**
 * A RelayState we will redirect to after login: one of our own screens, as a relative path
 * (a single leading `/`, no `//`, no backslash, no scheme, no encoded characters), with an
 * optional `#fragment` of plain characters. Anything else becomes DEFAULT_RETURN.
 */
export function safeRelayState(input: unknown): string {
  if (typeof input !== 'string' || input.length > 200) return DEFAULT_RETURN;
  const m = /^(\/[a-z0-9/-]*)(#[A-Za-z0-9_-]*)?$/.exec(input);
  if (!m || input.includes('//')) return DEFAULT_RETURN;
  return RETURN_PATHS.includes(m[1]!) ? input : DEFAULT_RETURN;
}

/**
 * The ID of the AuthnRequest a pending request stands for: a commitment to the browser's
 * secret, its time and its RelayState. Only the browser holding the secret can show a request
 * whose ID a response answers, and changing any field breaks the match.
 */
export function requestIdOf(pending: PendingAuthnRequest): string {
  const digest = createHash('sha256').update(`shomei-authn\n${pending.secret}\n${pending.createdAt}\n${pending.relayState}`, 'utf8').digest('hex');
  return `_${digest}`;
}

/** What our request IDs look like (requestIdOf); any other InResponseTo is not ours. */
const REQUEST_ID = /^_[0-9a-f]{64}$/;

/** A verified login on its way from the ACS to /saml/complete, sealed into the hand-off code. */
interface HandOff {
  /** The InResponseTo of the response: the ID of the browser's pending request. */
  requestId: string;
  assertionId: string;
  /** Until when the assertion ID must stay in the replay cache. */
  replayUntil: string;
  identity: SamlIdentity;
  createdAt: string;
  expiresAt: string;
}

const isHandOff = (v: unknown): v is HandOff => {
  const h = v as Partial<HandOff> | null;
  return (
    typeof h === 'object' &&
    h !== null &&
    [h.requestId, h.assertionId, h.replayUntil, h.createdAt, h.expiresAt].every((f) => typeof f === 'string') &&
    typeof h.identity === 'object' &&
    h.identity !== null
  );
};

/** The replay-cache entry that marks a request as answered (each request is answered once). */
const answeredEntry = (requestId: string) => `InResponseTo ${requestId}`;

/** A SAML protocol message sent to /saml/logout. */
export interface IncomingSamlMessage {
  binding: 'redirect' | 'post';
  /** Decoded parameters (SAMLRequest / SAMLResponse, RelayState, SigAlg, Signature). */
  params: Record<string, string | undefined>;
  /** HTTP-Redirect: the signed part of the raw query string, exactly as received. */
  octetString?: string;
}

export interface VerifiedLogoutRequest {
  requestId: string;
  nameId: string;
  sessionIndexes: string[];
}

/** Single logout as the login flow needs it (implemented by the SAML adapter). */
export interface SingleLogout {
  /** A signed LogoutRequest (HTTP-Redirect URL), or null when the IdP offers no single logout. */
  createLogoutRequest(ref: SamlSessionRef): Promise<string | null>;
  /** Verifies a LogoutRequest from the IdP (signature, issuer, destination, time). */
  verifyLogoutRequest(message: IncomingSamlMessage): Promise<VerifiedLogoutRequest>;
  /** A signed LogoutResponse (HTTP-Redirect URL) answering `inResponseTo`, or null without an SLO endpoint. */
  createLogoutResponse(inResponseTo: string, relayState: string | null): Promise<string | null>;
  /** Verifies a LogoutResponse from the IdP; resolves to whether it reports success. */
  verifyLogoutResponse(message: IncomingSamlMessage): Promise<boolean>;
}

/**
 * SP-initiated SAML login and single logout. The IdP's POST to the ACS is cross-site, so the
 * browser's SameSite=Lax cookies do not come with it (DESIGN.md, "Known pitfalls"): the ACS
 * verifies the response and hands it on in a one-time code, and the same-site
 * `GET /saml/complete?code=…` that follows — which does carry the cookies — checks that this
 * very browser sent the request the response answers before anyone is signed in.
 *
 * The server keeps nothing for a login that was only started or only answered: the browser
 * keeps its pending requests (a secret each, in a cookie; each request's ID commits to that
 * secret, requestIdOf), and the hand-off code is the verified login itself, sealed with a key
 * only the service holds. The replay cache is written once, when the login completes: the
 * assertion and the request it answers are then used up, which also makes the code single-use.
 */
export interface LoginService {
  /**
   * Starts a login: the IdP URL to redirect to, and the pending requests the browser keeps from
   * now on (this one first, then its earlier ones still unanswered, at most
   * PENDING_REQUESTS_PER_BROWSER).
   */
  start(options: { relayState: unknown; forceAuthn: boolean; pending: PendingAuthnRequest[] }): Promise<{ url: string; pending: PendingAuthnRequest[] }>;
  /**
   * Verifies a POSTed SAMLResponse and returns the one-time hand-off code that carries it to
   * /saml/complete. Nothing is written: an assertion or request already used is refused here,
   * and both are used up only when the login completes.
   */
  acceptResponse(samlResponse: unknown): Promise<string>;
  /**
   * Takes the login sealed in `code` (single use) and checks that it answers one of this
   * browser's `pending` requests, sent no longer than AUTHN_REQUEST_SECONDS before the response
   * arrived; then uses up its assertion and request in the replay cache (one write). Returns
   * what to sign in, where to go, and the requests the browser keeps (the answered one is gone).
   */
  complete(code: unknown, pending: PendingAuthnRequest[]): Promise<{ identity: SamlIdentity; relayState: string; pending: PendingAuthnRequest[] }>;
  /** Where to send the browser at logout: the IdP's single logout, or null (local logout only). */
  logoutUrl(session: Session): Promise<string | null>;
  /**
   * A message at /saml/logout. An IdP-initiated LogoutRequest ends every session of that IdP
   * session and is answered with a LogoutResponse; a LogoutResponse (to our own request) just
   * leads to the login screen. Returns where to redirect and the logged-out NameID, if any.
   */
  handleLogoutMessage(message: IncomingSamlMessage): Promise<{ redirect: string; nameId: string | null }>;
}

export interface LoginServiceDeps {
  store: Store;
  transaction: UnitOfWork['transaction'];
  idp: IdentityProvider & SingleLogout;
  clock: Clock;
  random: Random;
  /** 32 bytes that seal hand-off codes; the same for every instance of the service. */
  handOffKey: Uint8Array;
}

export function createLoginService(deps: LoginServiceDeps): LoginService {
  const { store, transaction, idp, clock, random, handOffKey } = deps;
  return {
    async start(options) {
      const request: PendingAuthnRequest = {
        secret: random.token(32),
        relayState: safeRelayState(options.relayState),
        createdAt: clock.now().toISOString(),
      };
      const { url } = await idp.createLoginRequest({
        requestId: requestIdOf(request),
        forceAuthn: options.forceAuthn,
        relayState: request.relayState,
      });
      const earlier = options.pending.filter((p) => live(p, clock.now()));
      return { url, pending: [request, ...earlier].slice(0, PENDING_REQUESTS_PER_BROWSER) };
    },

    async acceptResponse(samlResponse) {
      if (typeof samlResponse !== 'string' || samlResponse === '') {
        throw new DomainError('saml.invalid', {}, 'no SAMLResponse in the request');
      }
      const verified = await idp.verifyLoginResponse(samlResponse);
      if (!REQUEST_ID.test(verified.inResponseTo)) {
        throw new DomainError('saml.invalid', {}, `InResponseTo ${verified.inResponseTo} is not a request of ours`);
      }
      if (await store.saml.hasSeenAssertion(verified.assertionId)) {
        throw new DomainError('saml.invalid', {}, `assertion ${verified.assertionId} was presented before (replay)`);
      }
      if (await store.saml.hasSeenAssertion(answeredEntry(verified.inResponseTo))) {
        throw new DomainError('saml.invalid', {}, `request ${verified.inResponseTo} was answered before`);
      }
      const now = clock.now();
      const handOff: HandOff = {
        requestId: verified.inResponseTo,
        assertionId: verified.assertionId,
        replayUntil: verified.notOnOrAfter,
        identity: verified.identity,
        createdAt: now.toISOString(),
        expiresAt: addSeconds(now, HANDOFF_SECONDS).toISOString(),
      };
      return sealJson(handOffKey, handOff);
    },

    async complete(code, pending) {
      if (typeof code !== 'string' || !/^[A-Za-z0-9_-]{40,8000}$/.test(code)) {
        throw new DomainError('saml.invalid', {}, 'malformed hand-off code');
      }
      const now = clock.now();
      const login = openSealedJson(handOffKey, code);
      const gone = new DomainError('saml.invalid', {}, 'hand-off code unknown, used or expired');
      if (!isHandOff(login) || now >= new Date(login.expiresAt)) throw gone;
      if (await store.saml.hasSeenAssertion(answeredEntry(login.requestId))) throw gone;
      const request = pending.find((p) => requestIdOf(p) === login.requestId);
      if (!request) {
        throw new DomainError('saml.unbound', {}, `InResponseTo ${login.requestId} is not a pending request of this browser`);
      }
      if (!live(request, new Date(login.createdAt))) {
        throw new DomainError('saml.invalid', {}, `request ${login.requestId} expired before the response arrived`);
      }
      // Each request is answered once. A response later than AUTHN_REQUEST_SECONDS is refused
      // above anyway, so that entry need not outlive it.
      const answeredUntil = addSeconds(new Date(request.createdAt), AUTHN_REQUEST_SECONDS + HANDOFF_SECONDS).toISOString();
      await transaction(async (tx) => {
        if (!(await tx.store.saml.rememberAssertion(answeredEntry(login.requestId), answeredUntil))) throw gone;
        if (!(await tx.store.saml.rememberAssertion(login.assertionId, login.replayUntil))) {
          throw new DomainError('saml.invalid', {}, `assertion ${login.assertionId} was presented before (replay)`);
        }
      });
      return {
        identity: login.identity,
        relayState: safeRelayState(request.relayState),
        pending: pending.filter((p) => p !== request && live(p, now)),
      };
    },

    async logoutUrl(session) {
      if (!session.saml || session.saml.idpEntityId !== idp.entityId) return null;
      return idp.createLogoutRequest(session.saml);
    },

    async handleLogoutMessage(message) {
      if (message.params.SAMLRequest !== undefined) {
        const request = await idp.verifyLogoutRequest(message);
        const indexes = request.sessionIndexes.length ? request.sessionIndexes : [null];
        for (const sessionIndex of indexes) {
          await store.sessions.deleteForSaml({ idpEntityId: idp.entityId, nameId: request.nameId, sessionIndex });
        }
        const relayState = message.params.RelayState ?? null;
        const url = await idp.createLogoutResponse(request.requestId, relayState);
        return { redirect: url ?? '/login?loggedOut=1', nameId: request.nameId };
      }
      if (message.params.SAMLResponse !== undefined) {
        // Our session ended before we sent the request; a failed or forged response changes nothing.
        const success = await idp.verifyLogoutResponse(message);
        if (!success) throw new DomainError('saml.invalid', {}, 'the IdP reports that single logout did not complete');
        return { redirect: '/login?loggedOut=1', nameId: null };
      }
      throw new DomainError('saml.invalid', {}, 'neither SAMLRequest nor SAMLResponse');
    },
  };
}

/** True while a response to `request` may still arrive at `at`. */
function live(request: PendingAuthnRequest, at: Date): boolean {
  return at < addSeconds(new Date(request.createdAt), AUTHN_REQUEST_SECONDS);
}
