import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

const REDACT = ['req.headers.cookie', 'res.headers["set-cookie"]', 'req.headers["x-csrf-token"]'];

/**
 * The service's logger on stdout. Lines below warn (the access log) go through an asynchronous
 * buffer, so a request never waits on a write; warn and error lines are written at once, so the
 * line explaining a crash is never left in a buffer. `flush` writes what is buffered (at shutdown;
 * pino also flushes the buffer when the process exits).
 *
 * `access` writes the access log's info lines straight into the buffer: the same lines, without
 * the level routing and the redaction every line of `logger` pays for. Only for lines that carry
 * no header, cookie or token (access-log.ts logs method, path, status and time).
 */
export function createLogger(config: Pick<Config, 'logLevel'>): { logger: Logger; access: Logger; flush(): void } {
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
    access: pino({ level: config.logLevel }, buffered),
    flush() {
      buffered.flushSync();
    },
  };
}
