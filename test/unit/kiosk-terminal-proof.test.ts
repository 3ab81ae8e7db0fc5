import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KIOSK_CHANNELS } from '../../main/kiosk-bridge.js';
import { runKioskShell, type KioskShellDeps } from '../../main/shell.js';
import { parseTerminalKey, TERMINAL_PROOF_HEADER } from '../../main/terminal-key.js';
import { CHECK_IN_SECONDS } from '../../main/terminal-proof.js';
import { KIOSK_PARTITION } from '../../main/window.js';
import { parseProof, proofMessage, publicKeyOfSecret, signatureValid } from '../../service/domain/terminals/proof.js';
import { fakeElectron, globalTimers, kioskConfig, recordingLog, TEST_TERMINAL_KEY, type FakeFetchCall } from '../support/kiosk-electron.js';

/**
 * The terminal proof in the kiosk shell (main/terminal-key.ts, main/terminal-proof.ts) over the
 * stand-in Electron API: which requests carry it, what the shell tells the embedded service, the
 * check-in. Proofs are checked with the service's own verifier.
 */
const APP_ROOT = '/opt/shomei/app';
const DEFAULTS_FILE = `${APP_ROOT}/resources/kiosk/kiosk.json`;
const MACHINE_FILE = '/etc/shomei/kiosk.json';
const REMOTE = 'https://shomei.example.ac.jp';
const IDP = 'https://idp.example.ac.jp';
const SECRET = TEST_TERMINAL_KEY.split('.')[2]!;

function harness(machine: Record<string, unknown>, embeddedUrls: string[] = ['http://127.0.0.1:41234']) {
  const electron = fakeElectron();
  const log = recordingLog();
  const starts: Array<{ terminalPublicKey: string | null; onExit: (e: Error) => void }> = [];
  const printerFetches: string[] = [];
  const files: Record<string, string> = { [DEFAULTS_FILE]: JSON.stringify(kioskConfig()), [MACHINE_FILE]: JSON.stringify(machine) };
  const deps: KioskShellDeps = {
    api: electron.api,
    log,
    timers: globalTimers,
    platform: 'linux',
    env: {},
    resourcesPath: '/opt/shomei/resources',
    appRoot: APP_ROOT,
    readFile: (file) => {
      const text = files[file];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
      return text;
    },
    preloadPath: `${APP_ROOT}/dist/main/preload.cjs`,
    startService: async (options, onExit) => {
      starts.push({ ...options, onExit });
      return { url: embeddedUrls[starts.length - 1]!, stop: async () => {} };
    },
    // What the printer sends goes through the fetch the shell hands it.
    createPrinter: ({ fetch, serviceOrigin }) => ({
      print: async (jobId) => {
        await fetch(`${serviceOrigin}/api/certificates/campus-jobs/${jobId}/claim`, { method: 'POST' });
        await fetch(`https://elsewhere.example.org/${jobId}`);
        printerFetches.push(jobId);
        return { ok: true, printedAt: '2026-04-01T09:00:00.000Z' };
      },
      checkPrinter: async () => ({ name: null, available: false }),
    }),
  };
  const session = () => electron.sessions.get(KIOSK_PARTITION)!;
  return { electron, log, starts, printerFetches, deps, session };
}

/** Does `value` prove `method url` for the terminal whose public key is `publicKey` (the service's check)? */
function proves(value: string | string[] | undefined, publicKey: string, method: string, url: string): boolean {
  const proof = parseProof(typeof value === 'string' ? value : undefined);
  const target = new URL(url);
  return proof !== null && signatureValid(publicKey, proofMessage(method, target.pathname + target.search, proof.signed), proof.signature);
}

const headerOf = (headers: Record<string, string | string[]>) =>
  Object.entries(headers).find(([name]) => name.toLowerCase() === TERMINAL_PROOF_HEADER.toLowerCase())?.[1];

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('the terminal proof in the kiosk shell', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the secret reaches no other origin: the proof rides only on requests to the service, and no page, bridge answer or log line holds the secret', async () => {
    const h = harness({ serverUrl: REMOTE, terminalKey: TEST_TERMINAL_KEY, allowedIdpOrigins: [IDP] });
    await runKioskShell(h.deps);
    await flush();
    const publicKey = publicKeyOfSecret(SECRET);
    const web = h.session().webRequest;
    expect(web.filter).toEqual({ urls: [`${REMOTE}/*`] });

    const toService = web.send('POST', `${REMOTE}/api/certificates/campus-jobs/job-1/claim?x=1`, { Accept: 'application/json' });
    expect(proves(headerOf(toService), publicKey, 'POST', `${REMOTE}/api/certificates/campus-jobs/job-1/claim?x=1`)).toBe(true);
    expect(toService.Accept).toBe('application/json');
    // A value the page set itself is replaced, whatever its spelling.
    const forged = web.send('GET', `${REMOTE}/api/session`, { 'x-shomei-terminal': 'id=kiosk-test, t=1, shell=1, printer=ready, sig=forged' });
    expect(Object.keys(forged).filter((n) => n.toLowerCase() === 'x-shomei-terminal')).toHaveLength(1);
    expect(proves(headerOf(forged), publicKey, 'GET', `${REMOTE}/api/session`)).toBe(true);

    const elsewhere = [
      `${IDP}/idp/profile/SAML2/POST/SSO`,
      'http://shomei.example.ac.jp/api/session',
      'https://shomei.example.ac.jp:8443/api/session',
      'https://shomei.example.ac.jp.evil.test/api/session',
      'https://www.example.org/',
    ];
    for (const url of elsewhere) {
      // Electron's filter keeps them from the listener, and the listener itself adds nothing to them either.
      expect(headerOf(web.send('GET', url)), url).toBeUndefined();
      let sent: Record<string, string | string[]> | undefined;
      web.listener!({ url, method: 'GET', requestHeaders: { Accept: '*/*' } }, (response) => (sent = response.requestHeaders));
      expect(headerOf(sent!), url).toBeUndefined();
    }

    const contents = h.electron.window.webContents;
    const info = await h.electron.ipcMain.invoke(KIOSK_CHANNELS.terminal, contents, contents.mainFrame());
    const everything = JSON.stringify([info, contents.loaded, h.log.entries, h.electron.window.options]);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(TEST_TERMINAL_KEY);
  });

  it('the shell’s own requests carry the proof: printing over the kiosk session, and the check-in that reports version and printer', async () => {
    const h = harness({ serverUrl: REMOTE, terminalKey: TEST_TERMINAL_KEY, allowedIdpOrigins: [IDP] });
    await runKioskShell(h.deps);
    await flush();
    const publicKey = publicKeyOfSecret(SECRET);
    const fetches = h.session().fetches;
    const checkIn = fetches.find((f) => f.url === `${REMOTE}/api/terminal`)!;
    expect(proves(checkIn.headers.get(TERMINAL_PROOF_HEADER) ?? undefined, publicKey, 'GET', checkIn.url)).toBe(true);
    // The printer is checked first: the check-in says it is missing.
    expect(parseProof(checkIn.headers.get(TERMINAL_PROOF_HEADER)!)).toMatchObject({ id: 'kiosk-test', shellVersion: '0.1.0', printer: 'missing' });
    expect(checkIn.init.credentials).toBe('omit');

    const contents = h.electron.window.webContents;
    await h.electron.ipcMain.invoke(KIOSK_CHANNELS.print, contents, contents.mainFrame(), 'job-7');
    const claim = fetches.find((f) => f.url.endsWith('/job-7/claim'))!;
    expect(proves(claim.headers.get(TERMINAL_PROOF_HEADER) ?? undefined, publicKey, 'POST', claim.url)).toBe(true);
    expect(fetches.find((f) => f.url.startsWith('https://elsewhere.example.org/'))!.headers.has(TERMINAL_PROOF_HEADER)).toBe(false);

    // Every CHECK_IN_SECONDS again.
    const count = () => fetches.filter((f) => f.url === `${REMOTE}/api/terminal`).length;
    expect(count()).toBe(1);
    await vi.advanceTimersByTimeAsync(CHECK_IN_SECONDS * 1000);
    expect(count()).toBe(2);
  });

  it('a check-in refused while the terminal’s clock is off is retried on the service’s clock; a refusal is logged once for IT', async () => {
    const h = harness({ serverUrl: REMOTE, terminalKey: TEST_TERMINAL_KEY, allowedIdpOrigins: [IDP] });
    const ahead = 10 * 60 * 1000;
    const seen: number[] = [];
    let enrolled = true;
    h.electron.api.sessionFromPartition(KIOSK_PARTITION);
    h.session().respond = async (call: FakeFetchCall) => {
      const proof = parseProof(call.headers.get(TERMINAL_PROOF_HEADER)!)!;
      seen.push(proof.time);
      const serviceNow = Date.now() + ahead;
      const inWindow = Math.abs(serviceNow / 1000 - proof.time) <= 60;
      const ok = inWindow && enrolled;
      return new Response(JSON.stringify(ok ? { id: 'kiosk-test', name: 'LIB-1F-01' } : { error: { code: 'terminal.notEnrolled' } }), {
        status: ok ? 200 : 403,
        headers: { date: new Date(serviceNow).toUTCString() },
      });
    };
    await runKioskShell(h.deps);
    await flush();
    expect(seen).toHaveLength(2);
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(ahead / 1000 - 1);
    expect(h.log.entries).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'kiosk clock differs from the service; proofs use the service clock' }),
    );
    expect(h.log.entries).toContainEqual(expect.objectContaining({ level: 'info', message: 'kiosk terminal enrolled' }));

    // Revoked in the console: the next check-ins are refused, logged once.
    enrolled = false;
    await vi.advanceTimersByTimeAsync(CHECK_IN_SECONDS * 1000);
    await vi.advanceTimersByTimeAsync(CHECK_IN_SECONDS * 1000);
    expect(h.log.entries.filter((e) => e.message === 'kiosk terminal not accepted by the service')).toEqual([
      expect.objectContaining({ level: 'error', fields: { status: 403 } }),
    ]);
  });

  it('with the embedded service and no key the shell makes its own, gives the service only the public half, and proves itself to it — on its new port after a restart', async () => {
    const first = 'http://127.0.0.1:41234';
    const second = 'http://127.0.0.1:41999';
    const h = harness({}, [first, second]);
    await runKioskShell(h.deps);
    await flush();
    const publicKey = h.starts[0]!.terminalPublicKey!;
    expect(publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const web = h.session().webRequest;
    expect(web.filter).toEqual({ urls: [`${first}/*`] });
    expect(proves(headerOf(web.send('GET', `${first}/api/session`)), publicKey, 'GET', `${first}/api/session`)).toBe(true);
    expect(parseProof(headerOf(web.send('GET', `${first}/`)) as string)?.id).toBe('local');

    h.starts[0]!.onExit(Object.assign(new Error('exited'), { code: 'embedded.exited', exitCode: 1 }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.starts).toHaveLength(2);
    // The same key for the same shell; the proof follows the service to its new port.
    expect(h.starts[1]!.terminalPublicKey).toBe(publicKey);
    expect(web.filter).toEqual({ urls: [`${second}/*`] });
    expect(headerOf(web.send('GET', `${first}/api/session`))).toBeUndefined();
    expect(proves(headerOf(web.send('GET', `${second}/api/session`)), publicKey, 'GET', `${second}/api/session`)).toBe(true);
  });

  it('with the embedded service and a key in kiosk.json the shell uses that key and enrols nothing itself', async () => {
    const h = harness({ serverUrl: null, terminalKey: TEST_TERMINAL_KEY });
    await runKioskShell(h.deps);
    await flush();
    expect(h.starts[0]!.terminalPublicKey).toBeNull();
    const proof = parseProof(headerOf(h.session().webRequest.send('GET', 'http://127.0.0.1:41234/login')) as string);
    expect(proof?.id).toBe(parseTerminalKey(TEST_TERMINAL_KEY)!.id);
  });
});
