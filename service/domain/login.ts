import { addSeconds, hashSecret } from './crypto.js';
import { DomainError } from './errors.js';
import type { PendingLogin, SamlIdentity, SamlSessionRef, Session } from './model.js';
import type { Clock, IdentityProvider, Random, Store } from './ports.js';

/** How long the IdP may take to answer an AuthnRequest (the user types a password meanwhile). */
export const AUTHN_REQUEST_SECONDS = 10 * 60;
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
 * browser's SameSite=Lax session cookie does not come with it (DESIGN.md, "Known pitfalls"):
 * the ACS verifies the response and parks it under a one-time code, and the same-site
 * `GET /saml/complete?code=…` that follows — which does carry the cookie — checks that the
 * request was started by this very session before anyone is signed in.
 */
export class LoginService {
  constructor(
    private readonly store: Store,
    private readonly idp: IdentityProvider & SingleLogout,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /** Records a pending AuthnRequest for the session and returns the IdP URL to redirect to. */
  async start(options: { sessionIdHash: string; relayState: unknown; forceAuthn: boolean }): Promise<string> {
    const relayState = safeRelayState(options.relayState);
    const { requestId, url } = await this.idp.createLoginRequest({ forceAuthn: options.forceAuthn, relayState });
    const now = this.clock.now();
    await this.store.saml.putRequest({
      requestId,
      sessionIdHash: options.sessionIdHash,
      relayState,
      createdAt: now.toISOString(),
      expiresAt: addSeconds(now, AUTHN_REQUEST_SECONDS).toISOString(),
      answeredAt: null,
    });
    return url;
  }

  /**
   * Verifies a POSTed SAMLResponse, consumes its InResponseTo and assertion ID, and parks the
   * identity under a fresh one-time code (returned; only its hash is stored).
   */
  async acceptResponse(samlResponse: unknown): Promise<string> {
    if (typeof samlResponse !== 'string' || samlResponse === '') {
      throw new DomainError('saml.invalid', {}, 'no SAMLResponse in the request');
    }
    const verified = await this.idp.verifyLoginResponse(samlResponse);
    const now = this.clock.now();
    const request = await this.store.saml.answerRequest(verified.inResponseTo, now.toISOString());
    if (!request) {
      throw new DomainError('saml.invalid', {}, `InResponseTo ${verified.inResponseTo} is unknown, expired or already answered`);
    }
    if (!(await this.store.saml.rememberAssertion(verified.assertionId, verified.notOnOrAfter))) {
      throw new DomainError('saml.invalid', {}, `assertion ${verified.assertionId} was presented before (replay)`);
    }
    const code = this.random.token(32);
    const pending: PendingLogin = {
      codeHash: hashSecret(code),
      requestId: request.requestId,
      sessionIdHash: request.sessionIdHash,
      identity: verified.identity,
      relayState: request.relayState,
      createdAt: now.toISOString(),
      expiresAt: addSeconds(now, HANDOFF_SECONDS).toISOString(),
    };
    await this.store.saml.putPendingLogin(pending);
    return code;
  }

  /**
   * Takes the login parked under `code` (single use) and checks it belongs to the session
   * that started it; returns what to sign in and where to go.
   */
  async complete(code: unknown, sessionIdHash: string | null): Promise<{ identity: SamlIdentity; relayState: string }> {
    if (typeof code !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(code)) {
      throw new DomainError('saml.invalid', {}, 'malformed hand-off code');
    }
    const pending = await this.store.saml.takePendingLogin(hashSecret(code), this.clock.now().toISOString());
    if (!pending) throw new DomainError('saml.invalid', {}, 'hand-off code unknown, used or expired');
    if (!sessionIdHash || pending.sessionIdHash !== sessionIdHash) {
      throw new DomainError('saml.unbound', {}, `request ${pending.requestId} was started by another browser session`);
    }
    return { identity: pending.identity, relayState: safeRelayState(pending.relayState) };
  }

  /** Where to send the browser at logout: the IdP's single logout, or null (local logout only). */
  async logoutUrl(session: Session): Promise<string | null> {
    if (!session.saml || session.saml.idpEntityId !== this.idp.entityId) return null;
    return this.idp.createLogoutRequest(session.saml);
  }

  /**
   * A message at /saml/logout. An IdP-initiated LogoutRequest ends every session of that IdP
   * session and is answered with a LogoutResponse; a LogoutResponse (to our own request) just
   * leads to the login screen. Returns where to redirect and the logged-out NameID, if any.
   */
  async handleLogoutMessage(message: IncomingSamlMessage): Promise<{ redirect: string; nameId: string | null }> {
    if (message.params.SAMLRequest !== undefined) {
      const request = await this.idp.verifyLogoutRequest(message);
      const indexes = request.sessionIndexes.length ? request.sessionIndexes : [null];
      for (const sessionIndex of indexes) {
        await this.store.sessions.deleteForSaml({ idpEntityId: this.idp.entityId, nameId: request.nameId, sessionIndex });
      }
      const relayState = message.params.RelayState ?? null;
      const url = await this.idp.createLogoutResponse(request.requestId, relayState);
      return { redirect: url ?? '/login?loggedOut=1', nameId: request.nameId };
    }
    if (message.params.SAMLResponse !== undefined) {
      // Our session ended before we sent the request; a failed or forged response changes nothing.
      const success = await this.idp.verifyLogoutResponse(message);
      if (!success) throw new DomainError('saml.invalid', {}, 'the IdP reports that single logout did not complete');
      return { redirect: '/login?loggedOut=1', nameId: null };
    }
    throw new DomainError('saml.invalid', {}, 'neither SAMLRequest nor SAMLResponse');
  }
}
