import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type AppOverrides } from '../../service/app.js';
import { loadConfig } from '../../service/config.js';
import type { Stores } from '../../service/domain/stores.js';
import type { AppDeps } from '../../service/http/deps.js';
import { freePort } from './ports.js';
import { databaseEnv } from './service-database.js';

export interface RunningService {
  url: string;
  port: number;
  dataDir: string;
  /** The PostgreSQL database it runs on, or null (lowdb files in dataDir). */
  databaseUrl: string | null;
  deps: AppDeps;
  /** The service's store ports, to arrange and inspect records directly. */
  stores: Stores;
  stop(): Promise<void>;
}

/**
 * Starts the real service in-process on 127.0.0.1 with a free port and a temporary DATA_DIR.
 * `env` is the configuration contract (PUBLIC_URL defaults to the actual address). With
 * SHOMEI_TEST_DATABASE=postgres and no DATABASE_URL in `env`, on a fresh migrated PostgreSQL
 * database (test/support/service-database.ts).
 */
export async function startService(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<RunningService> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'shomei-test-'));
  // The port first: PUBLIC_URL (entity ID, ACS URL) must name it before the app is built.
  const port = Number(env.PORT ?? (await freePort()));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...(await databaseEnv(env)),
    ...env,
    PORT: String(port),
    DATA_DIR: dataDir,
  });
  const shomei = await createApp(config, overrides);
  const server = shomei.app.listen(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return {
    url: config.publicUrl,
    port,
    dataDir,
    databaseUrl: config.database?.url ?? null,
    deps: shomei.deps,
    stores: shomei.stores,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await shomei.close();
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
