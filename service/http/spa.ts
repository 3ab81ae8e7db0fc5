import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';

const NOT_SPA = /^\/(api|saml|dev|demo-idp|healthz)(\/|$)/;

/**
 * The built renderer: hashed assets cached for a year, index.html never cached and answered
 * for every other browser navigation (the SPA shows its own not-found page).
 */
export function spaRoutes(dir: string): Router {
  const router = express.Router();
  const index = path.join(dir, 'index.html');
  router.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  router.use(express.static(dir, { index: false, maxAge: '1h' }));
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
