import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The demo staff users' first passwords, from DATA_DIR/demo-staff-credentials.txt (`name<TAB>role<TAB>password`). */
export function readDemoStaffCredentials(dataDir: string): Record<string, { role: string; password: string }> {
  const out: Record<string, { role: string; password: string }> = {};
  for (const line of readFileSync(path.join(dataDir, 'demo-staff-credentials.txt'), 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [username, role, password] = line.split('\t');
    if (username && role && password) out[username] = { role, password };
  }
  return out;
}

/**
 * The data a service keeps its staff users in, where the staff CLI works on them: the service's
 * PostgreSQL database when it has one (its DATA_DIR is then not read), else the lowdb files of its DATA_DIR.
 */
export type StaffData = { dataDir: string; databaseUrl?: string | null } | { dataDir?: undefined; databaseUrl: string };

/** Runs the staff CLI (service/cli/staff-admin.ts) as its own process, as `npm run admin --` does. */
export function runStaffCli(args: string[], options: StaffData & { stdin?: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  const dataDir = options.dataDir === undefined ? [] : ['--data-dir', options.dataDir];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'service/cli/staff-admin.ts'), ...args, ...dataDir], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
      // The CLI works on the service's database when it has one (as an operator sets DATABASE_URL for both).
      env: { ...process.env, DATABASE_URL: options.databaseUrl ?? '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

export interface JsonAnswer<T = any> {
  status: number;
  body: T;
  setCookies: string[];
}

/** A JSON client with its own cookie jar, for the staff console's API (or the student API). */
export class ApiClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | null = null;
  /** Headers added per request (e.g. a kiosk terminal's proof, which depends on method and URL). */
  headersFor: ((method: string, url: URL) => Record<string, string>) | null = null;

  constructor(readonly baseUrl: string) {}

  async call<T = any>(
    method: string,
    urlPath: string,
    options: { body?: unknown; raw?: { bytes: Uint8Array; type: string }; csrf?: string | null; origin?: string } = {},
  ): Promise<JsonAnswer<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    if (csrf) headers['x-csrf-token'] = csrf;
    if (options.origin) headers.origin = options.origin;
    let body: string | Blob | undefined;
    if (options.raw) {
      headers['content-type'] = options.raw.type;
      body = new Blob([options.raw.bytes as Uint8Array<ArrayBuffer>]);
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const url = new URL(urlPath, this.baseUrl);
    Object.assign(headers, this.headersFor?.(method, url));
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    const setCookies = res.headers.getSetCookie();
    for (const sc of setCookies) {
      const [pair] = sc.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0/i.test(sc) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, setCookies };
  }

  get<T = any>(urlPath: string) {
    return this.call<T>('GET', urlPath);
  }

  post<T = any>(urlPath: string, body?: unknown, options: { csrf?: string | null; origin?: string } = {}) {
    return this.call<T>('POST', urlPath, { ...options, body });
  }

  /** GET /api/admin/session, then POST /api/admin/login; keeps the new CSRF token. */
  async staffLogin(username: string, password: string): Promise<JsonAnswer> {
    const session = await this.get('/api/admin/session');
    this.csrfToken = session.body.csrfToken;
    const answer = await this.post('/api/admin/login', { username, password });
    if (answer.status === 200) this.csrfToken = answer.body.csrfToken;
    return answer;
  }
}
