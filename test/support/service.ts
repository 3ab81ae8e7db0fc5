import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp, type AppOverrides } from '../../service/app.js';
import { loadConfig } from '../../service/config.js';
import type { AppDeps } from '../../service/http/deps.js';

export interface RunningService {
  url: string;
  port: number;
  dataDir: string;
  deps: AppDeps;
  stop(): Promise<void>;
}

/**
 * Starts the real service in-process on 127.0.0.1 with a free port and a temporary DATA_DIR.
 * `env` is the configuration contract (PUBLIC_URL defaults to the actual address).
 */
export async function startService(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<RunningService> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'shomei-test-'));
  const { createServer } = await import('node:http');
  // Reserve the port first: PUBLIC_URL (entity ID, ACS URL) must name it before the app is built.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = Number(env.PORT ?? (probe.address() as AddressInfo).port);
  await new Promise<void>((r) => probe.close(() => r()));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
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
    deps: shomei.deps,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await shomei.close();
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
