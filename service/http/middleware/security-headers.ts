import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export interface SecurityHeaders {
  /** The headers every response carries, as helmet computes them for this configuration. */
  readonly list: ReadonlyArray<readonly [string, string]>;
  /** Sets them on a response. */
  set(res: ServerResponse): void;
  middleware: RequestHandler;
}

/** Helmet's options: a strict CSP (the SPA loads nothing from elsewhere), no referrer, HSTS under https. */
function helmetFor(options: { secure: boolean }) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(options.secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: options.secure,
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/**
 * The security headers, computed once: helmet runs a single time at start on a stand-in response
 * and the headers it sets are replayed on every response. None of them depends on the request
 * (no nonces), so each response gets exactly what helmet would have set, without helmet's work
 * per request.
 */
export function securityHeaders(options: { secure: boolean }): SecurityHeaders {
  const list: [string, string][] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      const i = list.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
      if (i >= 0) list.splice(i, 1);
      list.push([name, String(value)]);
      return recorder;
    },
    removeHeader(name: string) {
      const i = list.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
      if (i >= 0) list.splice(i, 1);
    },
  };
  let done = false;
  helmetFor(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  // helmet is synchronous; should a version ever not be, refuse to start rather than send no headers.
  if (!done || list.length === 0) throw new Error('helmet did not set its headers synchronously');
  const set = (res: ServerResponse) => {
    for (const [name, value] of list) res.setHeader(name, value);
  };
  return {
    list,
    set,
    middleware: (_req, res, next) => {
      set(res);
      next();
    },
  };
}
