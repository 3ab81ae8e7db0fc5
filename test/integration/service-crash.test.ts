import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, readDemoStaffCredentials } from '../support/staff.js';

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

  /** A staff login through the API (an audited write and a stored session); its cookie and token when it was acknowledged. */
  async function staffLogin(url: string, password: string): Promise<{ cookie: string; csrfToken: string } | null> {
    const c = new ApiClient(url);
    const answer = await c.staffLogin('admin', password).catch(() => null);
    const cookie = c.cookies.get('shomei_staff');
    return answer?.status === 200 && cookie ? { cookie, csrfToken: c.csrfToken! } : null;
  }

  it('keeps every acknowledged staff session, and its files stay valid JSON', async () => {
    const acknowledged: { cookie: string; csrfToken: string }[] = [];
    for (let round = 0; round < 3; round += 1) {
      const { child, url } = await startProcess(dataDir);
      const password = readDemoStaffCredentials(dataDir).admin!.password;
      // Staff sign in at once; each answer acknowledges a session stored and a login audited.
      let stop = false;
      const clients = Array.from({ length: 4 }, async () => {
        while (!stop) {
          const login = await staffLogin(url, password);
          if (login && !stop) acknowledged.push(login);
        }
      });
      await new Promise((r) => setTimeout(r, 600 + round * 300));
      await killHard(child);
      stop = true;
      await Promise.all(clients);
    }
    expect(acknowledged.length).toBeGreaterThan(3);

    for (const file of readdirSync(dataDir).filter((f) => f.endsWith('.json'))) {
      expect(() => JSON.parse(readFileSync(path.join(dataDir, file), 'utf8')), file).not.toThrow();
    }
    const { child, url } = await startProcess(dataDir);
    try {
      for (const { cookie, csrfToken } of acknowledged) {
        const res = await fetch(`${url}/api/admin/session`, { headers: { cookie: `shomei_staff=${cookie}`, accept: 'application/json' } });
        const body = (await res.json()) as { csrfToken: string; staff: unknown };
        expect(body.staff, 'an acknowledged staff session was lost').not.toBeNull();
        expect(body.csrfToken).toBe(csrfToken);
      }
    } finally {
      await killHard(child);
    }
  });

  it('never lets a lock file left by a killed process hold up the next one', async () => {
    // What SIGKILL between creating the audit log's lock file and writing its owner left behind.
    writeFileSync(path.join(dataDir, 'audit-log.json.lock'), '');
    const { child, url } = await startProcess(dataDir);
    try {
      const started = Date.now();
      const login = await staffLogin(url, readDemoStaffCredentials(dataDir).admin!.password);
      expect(login, 'the staff login after the restart failed').not.toBeNull();
      // Waiting out the lock took 10 s and ended in a 500.
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await killHard(child);
    }
  });
});
