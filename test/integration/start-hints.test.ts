import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS_FILE } from '../../service/features/staff.js';
import { freePort } from '../support/ports.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const server = path.join(root, 'dist/service/server.js');

/** Runs the built service (what `npm start` runs) until it has printed its start-up output; returns stdout. */
async function startOutput(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [server], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', SHOMEI_REPORT_PORT: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the service did not start within 60 s:\n${out}`)), 60_000);
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        // The JSON log goes through pino's own buffered stream: wait for its line too before stopping.
        if (out.includes('SHOMEI_LISTENING') && out.includes('"msg":"Shomei is listening"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`the service exited (${code}):\n${out}`)));
    });
  } finally {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }
  return out;
}

/** The lines a person reads: everything that is not a JSON log line. */
const plain = (out: string) => out.split('\n').filter((l) => !l.startsWith('{') && !l.startsWith('SHOMEI_LISTENING'));

describe('npm start in demo mode prints how to try the demo, readable by a person', () => {
  let dataDir: string;
  let port: number;
  let first: string;
  let second: string;
  beforeAll(async () => {
    if (!existsSync(server)) throw new Error('dist/service/server.js is missing: run `npm run build` first (npm test does)');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'shomei-hints-'));
    port = await freePort();
    first = await startOutput({ PORT: String(port), DATA_DIR: dataDir });
    second = await startOutput({ PORT: String(port), DATA_DIR: dataDir });
  }, 150_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('names the address to open, the demo IdP, the dev mailbox and the staff console, with the new passwords once', () => {
    const url = `http://localhost:${port}`;
    const lines = plain(first);
    const text = lines.join('\n');
    for (const address of [`${url}/`, `${url}/demo-idp`, `${url}/dev/mailbox`, `${url}/admin/login`]) {
      expect(lines).toContain(`   ${address}`);
    }
    // The passwords shown are the ones in the credentials file (which the staff console accepts).
    const file = readFileSync(path.join(dataDir, DEMO_CREDENTIALS_FILE), 'utf8');
    for (const [username, role] of [
      ['admin', 'administrator'],
      ['reviewer', 'reviewer'],
    ] as const) {
      const password = new RegExp(`^${username}\\t${role}\\t(\\S+)$`, 'm').exec(file)?.[1];
      expect(password).toBeTruthy();
      expect(lines.some((l) => l.includes(username) && l.includes(`(${role})`) && l.endsWith(`password: ${password}`))).toBe(true);
    }
    expect(text).toContain(`Shown this once; also in ${path.join(dataDir, DEMO_CREDENTIALS_FILE)}`);
    // The structured log is still there for machines.
    const log = first
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string });
    expect(log.map((l) => l.msg)).toEqual(expect.arrayContaining(['Shomei is listening', 'demo staff console user created']));
  });

  it('on later starts names the staff users and the credentials file, but no password', () => {
    const text = plain(second).join('\n');
    expect(text).toContain(`http://localhost:${port}/admin/login`);
    expect(text).toMatch(/admin\s+\(administrator\)\n\s+reviewer\s+\(reviewer\)/);
    expect(text).toContain(`First passwords: ${path.join(dataDir, DEMO_CREDENTIALS_FILE)}`);
    expect(text).not.toContain('password:');
  });
});
