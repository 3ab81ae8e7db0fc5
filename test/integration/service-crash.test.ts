import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const server = path.join(root, 'dist/service/server.js');

/** Runs the built service as its own process (what `npm start` runs) and waits until it listens. */
async function startProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [server], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', SHOMEI_REPORT_PORT: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /SHOMEI_LISTENING (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`service exited (${code}): ${out}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

const killHard = async (child: ChildProcess) => {
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
};

describe('the service killed with SIGKILL while it writes', () => {
  let dataDir: string;
  beforeAll(() => {
    if (!existsSync(server)) throw new Error('dist/service/server.js is missing: run `npm run build` first (npm test does)');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'shomei-crash-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged session, and its files stay valid JSON', async () => {
    const acknowledged: { cookie: string; csrfToken: string }[] = [];
    for (let round = 0; round < 3; round += 1) {
      const { child, url } = await startProcess(dataDir);
      // Many browsers arrive at once; each answer acknowledges a session written to the store.
      let stop = false;
      const clients = Array.from({ length: 8 }, async () => {
        while (!stop) {
          const res = await fetch(`${url}/api/session`).catch(() => null);
          if (!res?.ok) continue;
          const cookie = /shomei_sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
          const body = (await res.json().catch(() => null)) as { csrfToken?: string } | null;
          if (cookie && body?.csrfToken && !stop) acknowledged.push({ cookie, csrfToken: body.csrfToken });
        }
      });
      await new Promise((r) => setTimeout(r, 300 + round * 200));
      await killHard(child);
      stop = true;
      await Promise.all(clients);
    }
    expect(acknowledged.length).toBeGreaterThan(10);

    for (const file of readdirSync(dataDir).filter((f) => f.endsWith('.json'))) {
      expect(() => JSON.parse(readFileSync(path.join(dataDir, file), 'utf8')), file).not.toThrow();
    }
    const { child, url } = await startProcess(dataDir);
    try {
      for (const { cookie, csrfToken } of acknowledged) {
        const res = await fetch(`${url}/api/session`, { headers: { cookie: `shomei_sid=${cookie}` } });
        const body = (await res.json()) as { csrfToken: string };
        expect(body.csrfToken, 'an acknowledged session was lost').toBe(csrfToken);
      }
    } finally {
      await killHard(child);
    }
  });
});
