import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';

const NOT_SPA = /^\/(api|saml|dev|demo-idp|healthz)(\/|$)/;
/** Built asset names (hashed by Vite): nothing else is looked up next to them. */
const ASSET_NAME = /^\/[A-Za-z0-9_.-]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Variants written by scripts/precompress.mjs next to each compressible file, best first. */
const VARIANTS = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;
type Encoding = (typeof VARIANTS)[number]['encoding'];

/**
 * Which precompressed variants a built file has, looked up once per file (a build writes new
 * hashed names, so a file's variants never change under the same name).
 */
function variantFinder(): (file: string) => Encoding[] {
  const known = new Map<string, Encoding[]>();
  return (file) => {
    let found = known.get(file);
    if (!found) {
      found = VARIANTS.filter((v) => existsSync(file + v.suffix)).map((v) => v.encoding);
      known.set(file, found);
    }
    return found;
  };
}

/**
 * Sends a built asset compressed as the browser accepts it (brotli, else gzip), else as it is.
 * Caches are told the answer depends on Accept-Encoding.
 */
function sendAsset(req: Request, res: Response, file: string, variants: Encoding[]): void {
  res.set('Cache-Control', IMMUTABLE);
  res.vary('Accept-Encoding');
  // Ours first (brotli is smaller), whatever order the browser lists them in.
  const variant = VARIANTS.find((v) => variants.includes(v.encoding) && req.acceptsEncodings(v.encoding) === v.encoding);
  const headers: Record<string, string> = {};
  if (variant) {
    // The type of the file itself, not of its .br/.gz variant.
    res.type(path.extname(file));
    headers['Content-Encoding'] = variant.encoding;
  }
  res.sendFile(variant ? file + variant.suffix : file, { headers, cacheControl: false, dotfiles: 'deny' }, (error?: NodeJS.ErrnoException) => {
    if (!error) return;
    if (!res.headersSent && (error.code === 'ENOENT' || (error as { status?: number }).status === 404)) res.status(404).end();
    else res.destroy();
  });
}

/**
 * The built renderer: hashed assets cached for a year and sent precompressed when the browser
 * accepts it; index.html (small) never cached and answered for every other browser navigation (the SPA
 * shows its own not-found page).
 */
export function spaRoutes(dir: string): Router {
  const router = express.Router();
  const index = path.join(dir, 'index.html');
  const assets = path.join(dir, 'assets');
  const variantsOf = variantFinder();

  router.get(/^\/assets\//, (req, res, next) => {
    const name = req.path.slice('/assets'.length);
    if (!ASSET_NAME.test(name)) return next();
    const file = path.join(assets, name);
    const variants = variantsOf(file);
    if (variants.length === 0) return next();
    sendAsset(req, res, file, variants);
  });
  router.use('/assets', express.static(assets, { immutable: true, maxAge: '365d', fallthrough: false }));
  router.use(
    express.static(dir, {
      index: false,
      maxAge: '1h',
      setHeaders: (res, file) => {
        if (file === index) res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  router.get(/.*/, (req, res, next) => {
    if (NOT_SPA.test(req.path) || !req.accepts('html')) return next();
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('画面がまだビルドされていません。npm run build を実行してください。\nThe UI is not built yet: run npm run build.');
      return;
    }
    res.set('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
