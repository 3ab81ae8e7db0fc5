/**
 * The embedded service (DESIGN.md "Embedded default"): with no `serverUrl` in the
 * terminal configuration the kiosk shell runs the bundled service itself, on a free loopback port,
 * with its data in `app.getPath('userData')/data`, in demo mode unless an IdP is configured.
 *
 * Electron is injected (`deps.fork` is `utilityProcess.fork` in the shell; tests adapt Node's
 * `child_process.fork` to the same shape), so this module runs under plain Node and vitest.
 *
 * Packaging (electron-builder): the service is started from `dist/service/server.js` inside the app
 * (`servicePathIn(app.getAppPath())`, which is `resources/app.asar/dist/service/server.js` when
 * packaged; utilityProcess reads asar like the main process). The package must therefore contain
 * `package.json` (the service finds its root by it), `dist/service/**`, `dist/renderer/**` (the UI it
 * serves), `resources/**` (fonts and other service resources) and the service's production
 * dependencies (`dependencies` of package.json → `node_modules`, which electron-builder packs by
 * default). Nothing is written inside the app: DATA_DIR is in userData.
 */
import { createServer } from 'node:net';
import path from 'node:path';

/** The subset of Electron's UtilityProcess (and of an adapted Node ChildProcess) used here. */
export interface EmbeddedProcess {
  /** Present when forked with `stdio: 'pipe'`. */
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  /** `code` is the exit code (Electron: always a number; adapters map a signal to a non-zero code). */
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** Options passed to `deps.fork` (a subset of Electron's ForkOptions). */
export interface EmbeddedForkOptions {
  env: Record<string, string>;
  stdio: 'pipe';
  /** Shown in the OS task manager (Electron's `serviceName`). */
  serviceName?: string;
}

/** Minimal `fetch` used for GET /healthz (global fetch or Electron's `net.fetch`). */
export type HealthFetch = (url: string, init?: { signal?: AbortSignal; cache?: RequestCache }) => Promise<{ status: number }>;

export interface EmbeddedServiceDeps {
  /** `utilityProcess.fork` in Electron. */
  fork(modulePath: string, args: string[], options: EmbeddedForkOptions): EmbeddedProcess;
  /** For GET /healthz. Defaults to the global fetch. */
  fetch?: HealthFetch;
  /** Returns a TCP port that is free on `host`. Defaults to `findFreePort`. */
  findFreePort?(host: string): Promise<number>;
  /** Timers (fake timers in tests). Default: the global ones. */
  setTimeout?(callback: () => void, ms: number): unknown;
  clearTimeout?(handle: unknown): void;
  /** Environment the service inherits (PATH, TZ, proxies…). Default: `process.env`. */
  baseEnv?: NodeJS.ProcessEnv;
}

export interface EmbeddedServiceOptions {
  /** Absolute path of dist/service/server.js (see `servicePathIn`). */
  servicePath: string;
  /** Where the service keeps its data: `path.join(app.getPath('userData'), 'data')`. */
  dataDir: string;
  /** How long to wait for `SHOMEI_LISTENING` and a 200 from /healthz. Default 30 000 ms. */
  timeoutMs?: number;
  /** Extra environment for the service (e.g. SAML_IDP_METADATA for a real IdP); cannot override the port, host, URL or DATA_DIR. */
  env?: Record<string, string>;
  /**
   * Called when the running service exits without `stop()` (a crash after start-up): the shell
   * shows the error page with a retry, which calls `startEmbeddedService` again.
   */
  onExit?(error: EmbeddedServiceError): void;
}

export interface EmbeddedService {
  /** The service origin, `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Kills the service and resolves once it has exited (at once when it already has). */
  stop(): Promise<void>;
}

export type EmbeddedServiceErrorCode = 'embedded.exited' | 'embedded.timeout';

/** Why the embedded service could not start or stopped: for the shell's error page and the log. */
export class EmbeddedServiceError extends Error {
  constructor(
    readonly code: EmbeddedServiceErrorCode,
    /** Exit code for `embedded.exited`; null for `embedded.timeout`. */
    readonly exitCode: number | null,
    /** The last lines the service wrote to stderr (its configuration errors land there). */
    readonly stderr: string[],
  ) {
    super(
      code === 'embedded.exited'
        ? `The embedded service exited with code ${exitCode}${stderr.length ? `:\n${stderr.join('\n')}` : ''}`
        : `The embedded service did not come up in time${stderr.length ? `:\n${stderr.join('\n')}` : ''}`,
    );
    this.name = 'EmbeddedServiceError';
  }
}

/** How many stderr lines an error keeps. */
const STDERR_LINES = 20;
const HEALTH_POLL_MS = 200;
const STOP_GRACE_MS = 15_000;

/** Path of the built service inside an app folder or archive (`app.getAppPath()`). */
export function servicePathIn(appPath: string): string {
  return path.join(appPath, 'dist', 'service', 'server.js');
}

/** Asks the OS for a free TCP port on `host` (listen on port 0, read it, close). */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** Splits a stream into lines (utf-8), calling `onLine` for each complete line. */
function readLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding?.('utf8');
  stream.on('data', (chunk: string | Buffer) => {
    pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, nl).replace(/\r$/, ''));
      pending = pending.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
    pending = '';
  });
}

/**
 * Starts the bundled service on a free 127.0.0.1 port and resolves once it printed
 * `SHOMEI_LISTENING <port>` and GET /healthz answered 200. Rejects with an EmbeddedServiceError:
 * `embedded.exited` (with the exit code and the last stderr lines) when it dies first,
 * `embedded.timeout` when it is not up within `timeoutMs` (the process is then killed).
 */
export async function startEmbeddedService(deps: EmbeddedServiceDeps, options: EmbeddedServiceOptions): Promise<EmbeddedService> {
  const setTimer = deps.setTimeout ?? ((cb: () => void, ms: number) => setTimeout(cb, ms));
  const clearTimer = deps.clearTimeout ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const healthFetch: HealthFetch = deps.fetch ?? ((url, init) => fetch(url, init));
  const host = '127.0.0.1';
  const port = await (deps.findFreePort ?? findFreePort)(host);
  const url = `http://${host}:${port}`;

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(deps.baseEnv ?? process.env)) if (v !== undefined) env[k] = v;
  // Not production: with no IdP configured the embedded service runs the demo IdP (the embedded default).
  delete env.NODE_ENV;
  // Never inherit a run-as-node or a debugger from the shell's own environment.
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.NODE_OPTIONS;
  Object.assign(env, options.env ?? {}, {
    PORT: String(port),
    HOST: host,
    PUBLIC_URL: url,
    DATA_DIR: options.dataDir,
    SHOMEI_REPORT_PORT: '1',
  });

  const child = deps.fork(options.servicePath, [], { env, stdio: 'pipe', serviceName: 'Shomei service' });
  const stderr: string[] = [];
  readLines(child.stderr, (line) => {
    stderr.push(line);
    if (stderr.length > STDERR_LINES) stderr.shift();
  });

  let exited: number | null = null;
  let stopping = false;
  let started = false;
  const exitWaiters: Array<() => void> = [];
  let failStartup: (e: EmbeddedServiceError) => void = () => {};
  let listening: () => void = () => {};

  readLines(child.stdout, (line) => {
    const m = /^SHOMEI_LISTENING (\d+)$/.exec(line.trim());
    if (m) listening();
  });

  child.on('exit', (code) => {
    exited = typeof code === 'number' ? code : 1;
    for (const w of exitWaiters.splice(0)) w();
    // Let the last stderr chunks arrive before reporting them.
    const error = () => new EmbeddedServiceError('embedded.exited', exited, [...stderr]);
    if (!started) failStartup(error());
    else if (!stopping) setTimer(() => options.onExit?.(error()), 0);
  });

  const stop = (): Promise<void> => {
    stopping = true;
    if (exited !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const grace = setTimer(resolve, STOP_GRACE_MS);
      exitWaiters.push(() => {
        clearTimer(grace);
        resolve();
      });
      child.kill();
    });
  };

  await new Promise<void>((resolve, reject) => {
    let done = false;
    let pollTimer: unknown = null;
    const finish = (error: EmbeddedServiceError | null) => {
      if (done) return;
      done = true;
      clearTimer(deadline);
      if (pollTimer !== null) clearTimer(pollTimer);
      if (error) reject(error);
      else resolve();
    };
    const deadline = setTimer(() => {
      finish(new EmbeddedServiceError('embedded.timeout', null, [...stderr]));
      void stop();
    }, options.timeoutMs ?? 30_000);
    failStartup = (e) => {
      // Give the pipes a moment to deliver the last stderr lines (a config error is printed just before exit).
      setTimer(() => finish(new EmbeddedServiceError(e.code, e.exitCode, [...stderr])), 50);
    };
    if (exited !== null) failStartup(new EmbeddedServiceError('embedded.exited', exited, [...stderr]));

    const poll = async () => {
      pollTimer = null;
      if (done) return;
      const controller = new AbortController();
      const abort = setTimer(() => controller.abort(), 2_000);
      try {
        const res = await healthFetch(`${url}/healthz`, { signal: controller.signal, cache: 'no-store' });
        if (res.status === 200) {
          finish(null);
          return;
        }
      } catch {
        // not up yet
      } finally {
        clearTimer(abort);
      }
      if (!done) pollTimer = setTimer(() => void poll(), HEALTH_POLL_MS);
    };
    listening = () => {
      listening = () => {};
      void poll();
    };
  });
  started = true;
  // Exited between the health answer and now: report it as a crash.
  if (exited !== null && !stopping) setTimer(() => options.onExit?.(new EmbeddedServiceError('embedded.exited', exited, [...stderr])), 0);

  return { url, port, stop };
}
