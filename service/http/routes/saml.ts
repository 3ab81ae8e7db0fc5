import { serialize } from 'cookie';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { DomainError, isDomainError } from '../../domain/errors.js';
import { AUTHN_REQUEST_SECONDS, PENDING_REQUESTS_PER_BROWSER, type IncomingSamlMessage } from '../../domain/login.js';
import type { PendingAuthnRequest } from '../../domain/model.js';
import type { AppDeps } from '../deps.js';
import { hostCookie, type HostCookie } from '../middleware/cookies.js';
import { chosenLanguage } from '../middleware/errors.js';
import { LANG_COOKIE } from '../middleware/session.js';
import { isKioskRequest } from '../middleware/terminal.js';

const ONE_YEAR = 365 * 24 * 3600;

/** The cookie in which a browser keeps its pending AuthnRequests (`__Host-` prefixed under https). */
export const AUTHN_COOKIE = 'shomei_authn';

/**
 * The SAML SP endpoints. Every failure ends on the login screen with a translated error code
 * (`/login?error=saml.invalid`), its detail only in the log: never a 500 or a stack trace.
 */
export function samlRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  /** Logs why a SAML step failed and sends the browser to the login screen with the error code. */
  const refuse = (req: Request, res: Response, e: unknown, what: string) => {
    if (isDomainError(e) && e.code.startsWith('saml.')) {
      req.log.warn({ code: e.code, detail: e.detail }, `SAML ${what} refused`);
      res.redirect(303, `/login?error=${e.code}`);
    } else {
      req.log.error({ err: e }, `SAML ${what} failed`);
      res.redirect(303, '/login?error=saml.invalid');
    }
  };

  // SameSite=Lax like the session: it comes with the same-site GET /saml/complete after the ACS.
  const authnCookie = hostCookie(AUTHN_COOKIE, { secure: deps.config.secureCookies, sameSite: 'lax' });

  router.get('/metadata', (_req, res) => {
    res.type('application/samlmetadata+xml').send(deps.idp.metadata());
  });

  router.get('/login', async (req, res, next) => {
    try {
      await deps.samlLoginStarts.hit(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    } catch (e) {
      if (!isDomainError(e) || e.code !== 'saml.rateLimited') return next(e);
      // A page in the browser's language with the wait, not a redirect loop through the login screen.
      res.set('Retry-After', String(e.params.seconds));
      return next(e);
    }
    try {
      // Until setup is complete the login screen says so; nobody is sent to the IdP.
      if (!(await deps.certificates.setup()).open) return res.redirect(303, '/login');
      // Nothing is stored here: the browser keeps the pending request in its cookie.
      const { url, pending } = await deps.login.start({
        relayState: req.query.returnTo,
        // The IdP's session outlives ours: a kiosk must never sign in the previous student.
        forceAuthn: isKioskRequest(req) || deps.config.saml.forceAuthn,
        pending: readPending(authnCookie, req),
      });
      authnCookie.set(res, encodePending(pending), AUTHN_REQUEST_SECONDS);
      res.redirect(302, url);
    } catch (e) {
      refuse(req, res, e, 'login');
    }
  });

  // Cross-site POST from the IdP: no session cookie arrives here and none is created. The
  // verified login waits under a one-time code for the same-site GET /saml/complete.
  router.post('/acs', async (req, res) => {
    try {
      const body = req.body as Record<string, unknown> | undefined;
      const code = await deps.login.acceptResponse(body?.SAMLResponse);
      res.redirect(303, `/saml/complete?code=${code}`);
    } catch (e) {
      refuse(req, res, e, 'response');
    }
  });

  router.get('/complete', async (req, res) => {
    try {
      const { identity, relayState, pending } = await deps.login.complete(req.query.code, readPending(authnCookie, req));
      if (pending.length) authnCookie.set(res, encodePending(pending), AUTHN_REQUEST_SECONDS);
      else authnCookie.clear(res);
      const account = await deps.accounts.recordLogin(identity, chosenLanguage(req) ?? 'ja');
      await deps.sessionCookies.regenerate(req, res, account.id, {
        idpEntityId: identity.idpEntityId,
        nameId: identity.nameId,
        nameIdFormat: identity.nameIdFormat,
        sessionIndex: identity.sessionIndex,
      });
      res.append('Set-Cookie', serialize(LANG_COOKIE, account.language, { path: '/', sameSite: 'lax', secure: deps.config.secureCookies, maxAge: ONE_YEAR }));
      req.log.info({ account: account.id }, 'SAML login');
      res.redirect(303, account.mail === null ? '/mail/register' : relayState);
    } catch (e) {
      refuse(req, res, e, 'login completion');
    }
  });

  // Single logout from the IdP: its LogoutRequest (IdP-initiated) or its LogoutResponse (to ours).
  const logout: RequestHandler = async (req, res) => {
    let message: IncomingSamlMessage | null = null;
    try {
      message = req.method === 'GET' ? redirectMessage(req) : postMessage(req);
      const { redirect, nameId } = await deps.login.handleLogoutMessage(message);
      if (nameId !== null && req.session?.record.saml?.nameId === nameId) await deps.sessionCookies.destroy(req, res);
      res.redirect(303, redirect);
    } catch (e) {
      if (message?.params.SAMLResponse !== undefined) {
        // Our own session ended before we asked the IdP; only the IdP side may be left over.
        req.log.warn({ detail: isDomainError(e) ? e.detail : String(e) }, 'SAML logout response not accepted');
        res.redirect(303, '/login?loggedOut=1');
        return;
      }
      refuse(req, res, e, 'logout');
    }
  };
  router.get('/logout', logout);
  router.post('/logout', logout);

  return router;
}

/**
 * Pending requests in the cookie: `secret.createdAt.relayState` (createdAt in milliseconds,
 * base 36), newest first, `~` between them. Neither `.` nor `~` occurs in a secret or a safe
 * RelayState. Whatever does not parse is dropped; a changed field no longer matches its
 * request's ID (requestIdOf), so the cookie needs no signature.
 */
function encodePending(pending: PendingAuthnRequest[]): string {
  return pending.map((p) => `${p.secret}.${Date.parse(p.createdAt).toString(36)}.${p.relayState}`).join('~');
}

function readPending(cookie: HostCookie, req: Request): PendingAuthnRequest[] {
  const out: PendingAuthnRequest[] = [];
  for (const entry of (cookie.read(req) ?? '').split('~').slice(0, PENDING_REQUESTS_PER_BROWSER)) {
    const [secret, time, relayState, extra] = entry.split('.');
    if (extra !== undefined || !secret || !/^[A-Za-z0-9_-]{43}$/.test(secret) || !time || !/^[0-9a-z]{1,10}$/.test(time)) continue;
    if (relayState === undefined || relayState.length > 200) continue;
    out.push({ secret, createdAt: new Date(parseInt(time, 36)).toISOString(), relayState });
  }
  return out;
}

const SIGNED_PARAMS = ['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg'] as const;

/**
 * An HTTP-Redirect message from the raw query string: the signature covers the parameters
 * exactly as the IdP encoded them (saml-bindings 3.4.4.1), so they are not re-encoded.
 */
function redirectMessage(req: Request): IncomingSamlMessage {
  const raw = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
  const rawValues = new Map<string, string>();
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = decodeParam(eq < 0 ? pair : pair.slice(0, eq));
    if (rawValues.has(name)) throw new DomainError('saml.invalid', {}, `query parameter ${name} given twice`);
    rawValues.set(name, eq < 0 ? '' : pair.slice(eq + 1));
  }
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of rawValues) params[name] = decodeParam(value);
  const octetString = SIGNED_PARAMS.filter((n) => rawValues.has(n))
    .map((n) => `${n}=${rawValues.get(n)}`)
    .join('&');
  return { binding: 'redirect', params, octetString };
}

function postMessage(req: Request): IncomingSamlMessage {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const params: Record<string, string | undefined> = {};
  for (const n of ['SAMLRequest', 'SAMLResponse', 'RelayState']) {
    if (typeof body[n] === 'string') params[n] = body[n];
  }
  return { binding: 'post', params };
}

function decodeParam(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new DomainError('saml.invalid', {}, 'malformed query string');
  }
}
