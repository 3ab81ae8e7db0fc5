import { serialize } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { DomainError } from '../../domain/errors.js';
import type { StaffRole } from '../../domain/staff/model.js';
import type { LiveStaffSession } from '../../domain/staff/sessions.js';
import type { StaffService } from '../../features/staff.js';

export const STAFF_COOKIE = 'shomei_staff';

declare module 'express-serve-static-core' {
  interface Request {
    /** The browser's live staff console session, if any (loaded by `staffSessions().load`). */
    staffSession?: LiveStaffSession | null;
  }
}

/** What handlers under /api/admin find in `res.locals.staff` once `requireStaff` passed. */
export interface StaffLocals {
  id: string;
  name: string;
  role: StaffRole;
}

export const staffOf = (res: Response): StaffLocals => res.locals.staff as StaffLocals;

/**
 * The staff console's session cookie: `shomei_staff`, HttpOnly, SameSite=Strict (the console is
 * never entered from another site), Secure under https, path /, no Max-Age (the server enforces
 * idle and absolute timeouts). Apart from the student session (`shomei_sid`) in every way.
 */
export function staffSessions(staff: StaffService, options: { secure: boolean }) {
  const setCookie = (res: Response, value: string, maxAge?: number) =>
    res.append(
      'Set-Cookie',
      serialize(STAFF_COOKIE, value, { httpOnly: true, sameSite: 'strict', secure: options.secure, path: '/', ...(maxAge === 0 ? { maxAge: 0 } : {}) }),
    );

  /** Loads `req.staffSession` from the cookie (unknown, expired or revoked sessions: null). */
  const load: RequestHandler = async (req, res, next) => {
    req.staffSession = null;
    const id = req.cookieJar?.[STAFF_COOKIE];
    if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return next();
    const live = await staff.sessions.load(id);
    if (!live) return next();
    if (live.record.staffId) {
      const user = await staff.accounts.get(live.record.staffId);
      if (staff.sessions.isRevoked(live.record, user)) {
        await staff.sessions.destroy(live);
        setCookie(res, '', 0);
        return next();
      }
      res.locals.staff = { id: user!.id, name: user!.displayName, role: user!.role } satisfies StaffLocals;
      res.locals.staffUser = user;
    }
    req.staffSession = live;
    next();
  };

  return {
    load,
    /** The current staff session, created (anonymous) when there is none. */
    async ensure(req: Request, res: Response): Promise<LiveStaffSession> {
      if (req.staffSession) return req.staffSession;
      req.staffSession = await staff.sessions.create(null);
      setCookie(res, req.staffSession.id);
      return req.staffSession;
    },
    /** Login: a new session id and CSRF token for `staffId`; the old session is deleted. */
    async regenerate(req: Request, res: Response, staffId: string): Promise<LiveStaffSession> {
      req.staffSession = await staff.sessions.regenerate(req.staffSession ?? null, staffId);
      setCookie(res, req.staffSession.id);
      return req.staffSession;
    },
    async destroy(req: Request, res: Response): Promise<void> {
      if (req.staffSession) await staff.sessions.destroy(req.staffSession);
      req.staffSession = null;
      delete res.locals.staff;
      setCookie(res, '', 0);
    },
  };
}

export type StaffSessions = ReturnType<typeof staffSessions>;

/** 401 `auth.required` unless a staff user is signed in; `res.locals.staff` is then set. */
export const requireStaff: RequestHandler = (req, res, next) => {
  if (!req.staffSession?.record.staffId || !res.locals.staff) return next(new DomainError('auth.required'));
  next();
};

/** 403 `auth.forbidden` unless the signed-in staff user has `role` (use after `requireStaff`). */
export const requireStaffRole =
  (role: StaffRole): RequestHandler =>
  (_req, res, next) => {
    const staff = res.locals.staff as StaffLocals | undefined;
    if (!staff) return next(new DomainError('auth.required'));
    if (role === 'administrator' && staff.role !== 'administrator') return next(new DomainError('auth.forbidden'));
    next();
  };
