import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { DomainError } from '../../domain/errors.js';

/** Methods that change nothing: no body, no CSRF token. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * CSRF protection for state-changing requests: the session's synchronizer token in the
 * `X-CSRF-Token` header (or a `_csrf` form field), and, when the browser sends one, an
 * Origin equal to ours. Paths in `exempt` carry their own proof (a signed SAML message).
 */
export function csrfProtection(options: {
  publicOrigin: string;
  exempt: string[];
  /** Paths under these prefixes are protected by another instance (e.g. the staff console's). */
  exemptPrefixes?: string[];
  /** The expected token: by default the student session's. */
  tokenOf?: (req: Request) => string | undefined;
}): RequestHandler {
  const tokenOf = options.tokenOf ?? ((req: Request) => req.session?.record.csrfToken);
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || options.exempt.includes(req.path)) return next();
    if (options.exemptPrefixes?.some((p) => req.path.startsWith(p))) return next();
    const origin = req.get('origin');
    if (origin && origin !== 'null' && origin !== options.publicOrigin) {
      return next(new DomainError('csrf.invalid', {}, `cross-origin ${req.method} from ${origin}`));
    }
    const body: unknown = req.body;
    const sent = req.get('x-csrf-token') ?? (body && typeof body === 'object' && '_csrf' in body && typeof body._csrf === 'string' ? body._csrf : undefined);
    const expected = tokenOf(req);
    if (!sent || !expected || !sameSecret(sent, expected)) {
      return next(new DomainError('csrf.invalid', {}, expected ? 'token mismatch' : 'no session'));
    }
    next();
  };
}
