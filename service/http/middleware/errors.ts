import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { DomainError } from '../../domain/errors.js';
import { ERROR_STATUS } from '../../shared/errors.js';
import { errorMessage } from '../../domain/i18n/errors.js';
import type { Language } from '../../domain/model.js';
import { LANG_COOKIE } from './session.js';
import { escapeHtml } from '../../domain/html.js';

/** The request's language: the signed-in account's (set by `requireAccount`), else the cookie, else Japanese. */
export function requestLanguage(req: Request): Language {
  const fromAccount = (req as Request & { accountLanguage?: Language }).accountLanguage;
  if (fromAccount) return fromAccount;
  return chosenLanguage(req) ?? 'ja';
}

/** The language this browser chose with the LANG pull-down (its cookie), or null when none was chosen. */
export function chosenLanguage(req: Request): Language | null {
  const cookie = req.cookieJar?.[LANG_COOKIE];
  return cookie === 'en' || cookie === 'ja' ? cookie : null;
}

/** Unknown /api/ paths answer JSON, not the SPA. */
export const apiNotFound: RequestHandler = (_req, _res, next) => next(new DomainError('notFound'));

/**
 * The one error handler: a DomainError becomes its status and a translated message; anything
 * else is logged with its stack and the user sees only `internal`. Body-parser errors (bad
 * JSON, too large) are the user's input, so they are `validation.failed`, not 500.
 */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  let error: DomainError;
  if (err instanceof DomainError) {
    error = err;
    req.log?.info({ code: err.code, detail: err.detail }, 'request refused');
  } else if (isClientError(err)) {
    error = new DomainError('validation.failed', {}, String((err as Error).message));
    req.log?.info({ err }, 'bad request body');
  } else {
    error = new DomainError('internal');
    req.log?.error({ err }, 'unexpected error');
  }
  if (res.headersSent) return;
  const status = ERROR_STATUS[error.code];
  const language = requestLanguage(req);
  const message = errorMessage(error.code, language, error.params);
  // A page for a browser that navigated here (also to an /api/ address opened in a tab, such as a
  // certificate PDF in the console); JSON for the SPA's own calls.
  const navigated = req.get('sec-fetch-mode') === 'navigate' || !req.originalUrl.startsWith('/api/');
  if (navigated && req.accepts(['json', 'html']) === 'html') {
    const staff = req.originalUrl.startsWith('/api/admin/') || req.originalUrl.startsWith('/admin');
    res
      .status(status)
      .type('html')
      .send(errorPage(message, language, staff));
    return;
  }
  res.status(status).json({
    error: { code: error.code, message, params: error.params, ...(error.fields ? { fields: error.fields } : {}) },
  });
};

function isClientError(err: unknown): boolean {
  const status = (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function errorPage(message: string, language: Language, staff: boolean): string {
  const back = staff
    ? language === 'ja'
      ? 'スタッフコンソールへ戻る'
      : 'Back to the staff console'
    : language === 'ja'
      ? 'ログイン画面へ戻る'
      : 'Back to the login screen';
  const title = language === 'ja' ? 'エラー' : 'Error';
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head><body><main><h1>${title}</h1><p>${escapeHtml(message)}</p><p><a href="${staff ? '/admin' : '/login'}">${back}</a></p></main></body></html>`;
}
