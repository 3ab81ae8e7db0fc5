import { parse as parseCookies } from 'cookie';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SamlSessionRef } from '../../domain/model.js';
import type { LiveSession, SessionService } from '../../domain/sessions.js';
import { hostCookie } from './cookies.js';
import { isKioskRequest } from './terminal.js';

/** The student session cookie's name on plain http (`__Host-` prefixed under https, see hostCookie). */
export const SESSION_COOKIE = 'shomei_sid';
export const LANG_COOKIE = 'shomei_lang';

declare module 'express-serve-static-core' {
  interface Request {
    /** The browser's live session, if any (loaded by `sessionMiddleware`). */
    session: LiveSession | null;
    /** Parsed cookies (named apart from Express's untyped `cookies`). */
    cookieJar: Record<string, string | undefined>;
  }
}

export interface SessionCookies {
  middleware: RequestHandler;
  /** The current session: an anonymous one (stored nowhere) for a browser without a session cookie. */
  ensure(req: Request, res: Response): Promise<LiveSession>;
  /** A new session id for `accountId` (login): the old session is deleted. */
  regenerate(req: Request, res: Response, accountId: string, saml: SamlSessionRef | null): Promise<LiveSession>;
  destroy(req: Request, res: Response): Promise<void>;
}

/**
 * The student session cookie (`shomei_sid`; `__Host-shomei_sid` under https), HttpOnly,
 * SameSite=Lax, no Max-Age: the server enforces idle and absolute timeouts. A cookie that names
 * no stored session is an anonymous visitor's (SessionService.anonymous).
 */
export function sessionCookies(sessions: SessionService, options: { secure: boolean }): SessionCookies {
  const cookie = hostCookie(SESSION_COOKIE, { secure: options.secure, sameSite: 'lax' });

  const middleware: RequestHandler = async (req: Request, _res: Response, next: NextFunction) => {
    req.cookieJar = parseCookies(req.headers.cookie ?? '');
    req.session = null;
    const id = cookie.read(req);
    if (id && /^[A-Za-z0-9_-]{43}$/.test(id)) req.session = (await sessions.load(id)) ?? sessions.anonymous(id, isKioskRequest(req));
    next();
  };

  return {
    middleware,
    async ensure(req, res) {
      if (req.session) return req.session;
      req.session = sessions.anonymous(null, isKioskRequest(req));
      cookie.set(res, req.session.id);
      return req.session;
    },
    async regenerate(req, res, accountId, saml) {
      req.session = await sessions.regenerate(req.session, { kiosk: isKioskRequest(req), accountId, saml });
      cookie.set(res, req.session.id);
      return req.session;
    },
    async destroy(req, res) {
      if (req.session) await sessions.destroy(req.session);
      req.session = null;
      cookie.clear(res);
    },
  };
}
