import { serialize } from 'cookie';
import type { Request, Response } from 'express';

/** One of our HttpOnly cookies, named and written alike on every path that sets it. */
export interface HostCookie {
  /** The name on the wire: `__Host-<base>` under https, `<base>` on plain http. */
  readonly name: string;
  read(req: Request): string | undefined;
  /** No `maxAgeSeconds`: a browser-session cookie (the server enforces the lifetime). */
  set(res: Response, value: string, maxAgeSeconds?: number): void;
  clear(res: Response): void;
}

/**
 * An HttpOnly cookie for path `/` and this host only. Under https its name carries the
 * `__Host-` prefix, so the browser accepts it only with Secure, Path=/ and no Domain: no
 * sibling subdomain and no plain-http page can plant or shadow it (ASVS 3.3.1). Browsers refuse
 * the prefix without Secure, so plain http (development) keeps the bare name.
 */
export function hostCookie(base: string, options: { secure: boolean; sameSite: 'lax' | 'strict' }): HostCookie {
  const name = options.secure ? `__Host-${base}` : base;
  const attributes = { httpOnly: true, sameSite: options.sameSite, secure: options.secure, path: '/' } as const;
  return {
    name,
    read: (req) => req.cookieJar?.[name],
    set(res, value, maxAgeSeconds) {
      res.append('Set-Cookie', serialize(name, value, maxAgeSeconds === undefined ? attributes : { ...attributes, maxAge: maxAgeSeconds }));
    },
    clear(res) {
      res.append('Set-Cookie', serialize(name, '', { ...attributes, maxAge: 0 }));
    },
  };
}
