import type { Express, RequestHandler } from 'express';
import type { Logger } from 'pino';

declare module 'http' {
  interface IncomingMessage {
    /** This request's id in the log (a counter per process). */
    id: number;
    /** A logger whose lines name this request (its id, method and path). */
    log: Logger;
  }
}

const kLog = Symbol('request logger');

interface RequestSummary {
  id: number;
  method: string;
  path: string;
}

type Logged = { id: number; method: string; originalUrl: string; [kLog]?: Logger };

// Path only: query strings can carry one-time codes; headers carry cookies.
const summary = (req: Logged): RequestSummary => ({ id: req.id, method: req.method, path: req.originalUrl.split('?')[0]! });

/**
 * One access-log line per request ("request completed", or "request errored" at error level for a
 * 5xx), with the request's id, method and path, its status and time. `req.log` names the request
 * too, but its child logger is made only when a handler logs something: most requests never do.
 * The info lines go to `completed` (logging.ts `access`, the same destination without per-line
 * routing and redaction) when given; errors always go through `logger`.
 */
export function accessLog(app: Express, logger: Logger, completed: Logger = logger): RequestHandler {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Logged): Logger {
      return (this[kLog] ??= logger.child({ req: summary(this) }));
    },
  });
  let next = 0;
  const logs = logger.isLevelEnabled('info');
  return (req, res, nextHandler) => {
    req.id = next = (next + 1) % Number.MAX_SAFE_INTEGER;
    if (logs) {
      const start = Date.now();
      // 'close' follows every response, finished or cut off: one listener is enough.
      res.once('close', () => {
        const responseTime = Date.now() - start;
        const line = { req: summary(req as unknown as Logged), res: { statusCode: res.statusCode }, responseTime };
        if (res.statusCode >= 500) logger.error(line, 'request errored');
        else completed.info(line, 'request completed');
      });
    }
    nextHandler();
  };
}
