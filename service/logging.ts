import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

const REDACT = ['req.headers.cookie', 'res.headers["set-cookie"]', 'req.headers["x-csrf-token"]'];

/**
 * The service's logger on stdout. Lines below warn (the access log) go through an asynchronous
 * buffer, so a request never waits on a write; warn and error lines are written at once, so the
 * line explaining a crash is never left in a buffer. `flush` writes what is buffered (at shutdown;
 * pino also flushes the buffer when the process exits).
 */
export function createLogger(config: Pick<Config, 'logLevel'>): { logger: Logger; flush(): void } {
  const buffered = pino.destination({ dest: 1, sync: false });
  const immediate = pino.destination({ dest: 1, sync: true });
  const logger = pino(
    { level: config.logLevel, redact: REDACT },
    pino.multistream(
      [
        { level: 'trace', stream: buffered },
        { level: 'warn', stream: immediate },
      ],
      // Each line to the stream of the highest level it reaches: once, not twice.
      { dedupe: true },
    ),
  );
  return {
    logger,
    flush() {
      buffered.flushSync();
    },
  };
}
