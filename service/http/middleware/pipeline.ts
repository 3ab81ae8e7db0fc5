import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Middleware run one after the other as a single handler, as `app.use` would run them in turn
 * (an error, thrown or passed to `next` or a rejected promise, goes to the error handlers), but
 * without a pass through the router between each: every request pays for these.
 */
export function pipeline(...steps: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, done: NextFunction) => {
    let i = 0;
    const next = (err?: unknown): void => {
      if (err !== undefined && err !== null) return done(err);
      const step = steps[i++];
      if (!step) return done();
      try {
        const result: unknown = step(req, res, next);
        if (result instanceof Promise) result.then(undefined, (error: unknown) => done(error ?? new Error('Rejected promise')));
      } catch (error) {
        done(error);
      }
    };
    next();
  };
}
