import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedServiceError, servicePathIn, startEmbeddedService } from '../../main/embedded-service.js';
import { forkLikeUtilityProcess } from '../support/fork-adapter.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the kiosk shell starts the built service as its embedded service', () => {
  let tmp: string;
  beforeAll(() => {
    if (!existsSync(servicePathIn(root))) throw new Error('dist/service/server.js is missing: run `npm run build` first (npm test does)');
    tmp = mkdtempSync(path.join(os.tmpdir(), 'shomei-embedded-'));
    writeFileSync(path.join(tmp, 'exits-3.mjs'), "console.error('first line');\nconsole.error('printer driver missing');\nprocess.exit(3);\n");
    writeFileSync(path.join(tmp, 'never-listens.mjs'), "console.error('starting slowly');\nsetInterval(() => {}, 1000);\n");
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const deps = { fork: forkLikeUtilityProcess, baseEnv: { ...process.env, LOG_LEVEL: 'silent' } };

  it('comes up on a free loopback port with its data in DATA_DIR, answers /healthz and the login page, and stop() ends it', async () => {
    const dataDir = path.join(tmp, 'data');
    let crashed: EmbeddedServiceError | null = null;
    const service = await startEmbeddedService(deps, {
      servicePath: servicePathIn(root),
      dataDir,
      onExit: (e) => (crashed = e),
    });
    try {
      expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(service.url).toBe(`http://127.0.0.1:${service.port}`);
      const health = await fetch(`${service.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });

      const login = await fetch(`${service.url}/login`, { headers: { accept: 'text/html' } });
      expect(login.status).toBe(200);
      expect(login.headers.get('content-type')).toMatch(/^text\/html/);
      expect((await login.text()).toLowerCase()).toContain('<!doctype html>');

      // Demo mode (no IdP configured, NODE_ENV unset): the built-in demo IdP answers.
      const session = await fetch(`${service.url}/api/session`, { headers: { accept: 'application/json' } });
      expect(session.status).toBe(200);
      expect(existsSync(dataDir)).toBe(true);
    } finally {
      await service.stop();
    }
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
    expect(crashed).toBeNull();
    // Stopping twice is harmless.
    await service.stop();
  });

  it('reports a service that refuses its configuration as embedded.exited with its stderr', async () => {
    const error = await startEmbeddedService(deps, {
      servicePath: servicePathIn(root),
      dataDir: path.join(tmp, 'bad-config'),
      env: { RESERVATION_VALID_DAYS: 'abc' },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EmbeddedServiceError);
    const e = error as EmbeddedServiceError;
    expect(e.code).toBe('embedded.exited');
    expect(e.exitCode).toBe(2);
    expect(e.stderr.join('\n')).toContain('Shomei cannot start.');
    expect(e.stderr.join('\n')).toContain('RESERVATION_VALID_DAYS');
  });

  it('reports a module that exits at once as embedded.exited with the exit code and the last stderr lines', async () => {
    const error = await startEmbeddedService(deps, { servicePath: path.join(tmp, 'exits-3.mjs'), dataDir: path.join(tmp, 'd3') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddedServiceError);
    expect(error).toMatchObject({ code: 'embedded.exited', exitCode: 3, stderr: ['first line', 'printer driver missing'] });
    expect((error as Error).message).toContain('printer driver missing');
  });

  it('gives up on a module that never listens with embedded.timeout and kills it', async () => {
    let killed = false;
    const error = await startEmbeddedService(
      {
        ...deps,
        fork: (modulePath, args, options) => {
          const child = forkLikeUtilityProcess(modulePath, args, options);
          child.on('exit', () => (killed = true));
          return child;
        },
      },
      { servicePath: path.join(tmp, 'never-listens.mjs'), dataDir: path.join(tmp, 'dn'), timeoutMs: 1_500 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddedServiceError);
    expect(error).toMatchObject({ code: 'embedded.timeout', exitCode: null, stderr: ['starting slowly'] });
    await expect.poll(() => killed).toBe(true);
  });
});
