import type { Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { demoStartHints } from './demo/start-hints.js';
import { collectWhenQuiet } from './idle-gc.js';
import { describeStores } from './stores.js';

/** Starts the service: listen, and close cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Shomei cannot start.\n${e.message}\nSee README.md, "Configuration".`);
      process.exit(2);
    }
    throw e;
  }
  const shomei = await createApp(config);
  const { logger } = shomei.deps;
  const server: Server = shomei.app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  collectWhenQuiet(server);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (config.demo) {
    // For the person at the terminal, readable, with the staff console's sign-in (the JSON log
    // below says it for machines).
    process.stdout.write(
      demoStartHints({
        publicUrl: config.publicUrl,
        demoIdp: config.saml.idpMetadata === null,
        devMailbox: shomei.deps.devMailbox !== null,
        staff: shomei.deps.staff.demoStaff,
      }),
    );
  }
  logger.info(
    // Where the records are: DATA_DIR, or the database without its password.
    { port, host: config.host, publicUrl: config.publicUrl, demo: config.demo, dataDir: config.dataDir, records: describeStores(config) },
    'Shomei is listening',
  );
  if (config.demo) {
    logger.info(`Demo mode: open ${config.publicUrl}/ (demo IdP at /demo-idp, mails at /dev/mailbox)`);
  }
  // For process supervisors and tests: the actual port, on its own line.
  if (process.env.SHOMEI_REPORT_PORT === '1') process.stdout.write(`SHOMEI_LISTENING ${port}\n`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      shomei.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    server.closeAllConnections?.();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  const e = err as Error;
  console.error(`Shomei could not start: ${e.message}`);
  if (process.env.LOG_LEVEL === 'debug') console.error(e.stack);
  process.exit(1);
});
