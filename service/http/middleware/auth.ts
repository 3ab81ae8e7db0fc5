import type { Request, RequestHandler, Response } from 'express';
import { DomainError } from '../../domain/errors.js';
import type { Account } from '../../domain/model.js';
import type { AppDeps } from '../deps.js';

/** The signed-in account, loaded by `requireAccount`. */
export const accountOf = (res: Response): Account => res.locals.account as Account;

/** 401 unless a live session with an account; puts the account in `res.locals.account`. */
export function requireAccount(deps: AppDeps, options: { verifiedMail: boolean }): RequestHandler {
  return async (req: Request, res, next) => {
    const accountId = req.session?.record.accountId;
    if (!accountId) return next(new DomainError('auth.required'));
    const account = await deps.accounts.find(accountId);
    if (!account) return next(new DomainError('auth.required'));
    res.locals.account = account;
    (req as Request & { accountLanguage?: string }).accountLanguage = account.language;
    if (options.verifiedMail && account.mail === null) return next(new DomainError('auth.mailRequired'));
    next();
  };
}
