import type { Request, RequestHandler } from 'express';
import { DomainError } from '../../domain/errors.js';

/** Headers a reverse proxy adds: their presence means the Host we see may be the proxy's. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'via', 'x-real-ip'];

/**
 * Keeps browsers on PUBLIC_URL's host. Cookies are per host and the IdP posts its answer to
 * PUBLIC_URL, so a sign-in started at http://127.0.0.1:3000 while PUBLIC_URL is
 * http://localhost:3000 loses its session half-way. A page navigation (GET/HEAD) that arrives on
 * another host is sent to the same path and query at PUBLIC_URL's origin; an API call gets a JSON
 * error naming that address. Everything else (SAML posts, assets, /healthz, mounted before) passes.
 *
 * It acts only when it is sure which address the browser used: the same scheme and port as
 * PUBLIC_URL and no proxy in between, or a proxy trusted by TRUST_PROXY that says the browser's
 * host in X-Forwarded-Host. A proxy that rewrites Host (and a TLS proxy in front of plain http)
 * is left alone, so the redirect can never loop.
 */
export function publicHostGuard(publicUrl: string): RequestHandler {
  const target = new URL(publicUrl);
  return (req, res, next) => {
    const seen = browserAddress(req);
    if (!seen || seen.protocol !== target.protocol || seen.port !== target.port || seen.hostname === target.hostname) return next();
    if (req.path.startsWith('/api/')) return next(new DomainError('host.mismatch', { url: target.origin }, `request for ${seen.host}`));
    if ((req.method === 'GET' || req.method === 'HEAD') && isPageNavigation(req)) {
      // Path and query only, re-based on our origin: whatever the request line says, the
      // browser never leaves PUBLIC_URL's origin (no open redirect).
      const { pathname, search } = new URL(req.originalUrl, 'http://request.invalid');
      res.set('Cache-Control', 'no-store').redirect(307, `${target.origin}${pathname}${search}`);
      return;
    }
    next();
  };
}

/** The scheme, host and port the browser used, or null when a proxy may have hidden them. */
function browserAddress(req: Request): URL | null {
  const proxied = PROXY_HEADERS.some((h) => req.headers[h] !== undefined);
  if (proxied) {
    const trusted = (req.app.get('trust proxy fn') as (address: string | undefined, hop: number) => boolean)(req.socket.remoteAddress, 0);
    if (!trusted || !req.get('x-forwarded-host')) return null;
  }
  const host = req.host;
  if (!host) return null;
  return parsedOrigin(`${req.protocol}://${host}`);
}

/** Parsed origins by their text: nearly every request names the same one, so it is parsed once. */
const origins = new Map<string, URL | null>();
function parsedOrigin(origin: string): URL | null {
  let url = origins.get(origin);
  if (url !== undefined) return url;
  try {
    url = new URL(origin);
  } catch {
    url = null;
  }
  // Bounded: a client inventing Host headers only empties the cache.
  if (origins.size >= 64) origins.clear();
  origins.set(origin, url);
  return url;
}

/** A top-level page load: Fetch Metadata says so, or (older clients) the client asks for HTML. */
function isPageNavigation(req: Request): boolean {
  const mode = req.get('sec-fetch-mode');
  if (mode !== undefined) return mode === 'navigate' && (req.get('sec-fetch-dest') ?? 'document') === 'document';
  return /\btext\/html\b/.test(req.get('accept') ?? '');
}
