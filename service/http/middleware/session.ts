import { parse as parseCookies, serialize } from 'cookie';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SamlSessionRef } from '../../domain/model.js';
import type { LiveSession, SessionService } from '../../domain/sessions.js';
import { isKioskRequest } from './terminal.js';

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
  /** The current session, created (anonymous) when there is none. */
  ensure(req: Request, res: Response): Promise<LiveSession>;
  /** A new session id for `accountId` (login): the old session is deleted. */
  regenerate(req: Request, res: Response, accountId: string, saml: SamlSessionRef | null): Promise<LiveSession>;
  destroy(req: Request, res: Response): Promise<void>;
}

export function sessionCookies(sessions: SessionService, options: { secure: boolean }): SessionCookies {
  const setCookie = (res: Response, live: LiveSession) => {
    // No Max-Age: a browser-session cookie; the server enforces idle and absolute timeouts.
    res.append(
      'Set-Cookie',
      serialize(SESSION_COOKIE, live.id, { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/' }),
    );
  };
  const clearCookie = (res: Response) => {
    res.append(
      'Set-Cookie',
      serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/', maxAge: 0 }),
    );
  };

  const middleware: RequestHandler = async (req: Request, _res: Response, next: NextFunction) => {
    req.cookieJar = parseCookies(req.headers.cookie ?? '');
    req.session = null;
    const id = req.cookieJar[SESSION_COOKIE];
    if (id && /^[A-Za-z0-9_-]{43}$/.test(id)) req.session = await sessions.load(id);
    next();
  };

  return {
    middleware,
    async ensure(req, res) {
      if (req.session) return req.session;
      req.session = await sessions.create({ kiosk: isKioskRequest(req) });
      setCookie(res, req.session);
      return req.session;
    },
    async regenerate(req, res, accountId, saml) {
      req.session = await sessions.regenerate(req.session, { kiosk: isKioskRequest(req), accountId, saml });
      setCookie(res, req.session);
      return req.session;
    },
    async destroy(req, res) {
      if (req.session) await sessions.destroy(req.session);
      req.session = null;
      clearCookie(res);
    },
  };
}
