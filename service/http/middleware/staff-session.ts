import type { Request, RequestHandler, Response } from 'express';
import { DomainError } from '../../domain/errors.js';
import type { StaffRole } from '../../domain/staff/model.js';
import type { LiveStaffSession } from '../../domain/staff/sessions.js';
import type { StaffService } from '../../features/staff.js';
import { hostCookie } from './cookies.js';

/** The staff session cookie's name on plain http (`__Host-` prefixed under https, see hostCookie). */
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
 * The staff console's session cookie: `shomei_staff` (`__Host-shomei_staff` under https),
 * HttpOnly, SameSite=Strict (the console is never entered from another site), no Max-Age (the
 * server enforces idle and absolute timeouts). Apart from the student session in every way.
 */
export function staffSessions(staff: StaffService, options: { secure: boolean }) {
  const cookie = hostCookie(STAFF_COOKIE, { secure: options.secure, sameSite: 'strict' });

  /**
   * Loads `req.staffSession` from the cookie: the stored session, or the anonymous one the
   * cookie names (unknown, expired or revoked sessions: none).
   */
  const load: RequestHandler = async (req, res, next) => {
    req.staffSession = null;
    const id = cookie.read(req);
    if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return next();
    const live = await staff.sessions.load(id);
    if (!live) {
      req.staffSession = staff.sessions.anonymous(id);
      return next();
    }
    if (live.record.staffId) {
      const user = await staff.accounts.get(live.record.staffId);
      if (staff.sessions.isRevoked(live.record, user)) {
        await staff.sessions.destroy(live);
        cookie.clear(res);
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
    /** The current staff session: an anonymous one (stored nowhere) when there is none. */
    ensure(req: Request, res: Response): LiveStaffSession {
      if (req.staffSession) return req.staffSession;
      req.staffSession = staff.sessions.anonymous(null);
      cookie.set(res, req.staffSession.id);
      return req.staffSession;
    },
    /** Login: the new session (its id and CSRF token) replaces the request's in the cookie. */
    adopt(req: Request, res: Response, session: LiveStaffSession): LiveStaffSession {
      req.staffSession = session;
      cookie.set(res, session.id);
      return session;
    },
    async destroy(req: Request, res: Response): Promise<void> {
      if (req.staffSession) await staff.sessions.destroy(req.staffSession);
      req.staffSession = null;
      delete res.locals.staff;
      cookie.clear(res);
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
