import http from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { KioskBridge, KioskTerminalInfo } from '../../main/kiosk-bridge.js';
import type { OrderView } from '../../service/contract/certificates.js';
import type { RunningService } from '../support/service.js';
import { enrollTerminal, proofHeaders, type EnrolledTerminal } from '../support/terminal.js';

/** Helpers shared by the campus-printing and kiosk end-to-end tests (orders over the API, kiosk contexts). */

/** A Chromium User-Agent with the kiosk shell's marker (on its own it makes nothing a kiosk: the terminal proof does). */
export const KIOSK_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 ShomeiKiosk/1.0';

/** POST /api/certificates/orders over the page's own session (CSRF token from GET /api/session). */
export async function placeOrder(
  page: Page,
  base: string,
  studentId: string,
  destination: 'campus' | 'convenience',
  language: 'ja' | 'en',
): Promise<OrderView> {
  const session = await (await page.request.get(`${base}/api/session`)).json();
  const answer = await page.request.post(`${base}/api/certificates/orders`, {
    headers: { 'X-CSRF-Token': session.csrfToken },
    data: { studentId, destination, items: [{ typeCode: 'enrollment', language, copies: 2 }] },
  });
  expect(answer.status(), await answer.text()).toBe(201);
  return answer.json();
}

/** The enrolled terminal each kiosk context stands for. */
const terminalOf = new WeakMap<BrowserContext, EnrolledTerminal>();

/** POST …/campus-jobs/:jobId/claim over the page's session (with its terminal's proof at a kiosk), as a second print attempt would. */
export async function claimOverApi(page: Page, base: string, jobId: string) {
  const session = await (await page.request.get(`${base}/api/session`)).json();
  const url = `${base}/api/certificates/campus-jobs/${jobId}/claim`;
  const terminal = terminalOf.get(page.context());
  return page.request.post(url, { headers: { 'X-CSRF-Token': session.csrfToken, ...(terminal ? proofHeaders(terminal.key, 'POST', url) : {}) } });
}

let terminals = 0;

/**
 * An HTTP proxy in front of `svc` that adds `terminal`'s proof to every request, each redirect hop
 * included — what the shell's webRequest hook does (main/terminal-proof.ts). Playwright's own
 * routing sees only the first request of a redirect chain, so it cannot stand in for it.
 */
async function proofProxy(svc: RunningService, terminal: EnrolledTerminal): Promise<{ url: string; close(): void }> {
  const target = new URL(svc.url);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', svc.url);
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: url.host };
    delete headers['proxy-connection'];
    delete headers['x-shomei-terminal'];
    // To the service only, as the shell does: never to another origin.
    if (url.origin === target.origin) Object.assign(headers, proofHeaders(terminal.key, req.method ?? 'GET', url));
    const upstream = http.request({ host: url.hostname, port: url.port, method: req.method, path: url.pathname + url.search, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  // Playwright's API requests (page.request) tunnel through CONNECT: passed on as they are (they add their own proof, see claimOverApi).
  server.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A full-HD browser context at a terminal enrolled in `svc`: its requests to the service carry the terminal's proof. */
export async function kioskContext(browser: Browser, svc: RunningService): Promise<BrowserContext> {
  const terminal = await enrollTerminal(svc.deps.terminals, `E2E-KIOSK-${++terminals}`);
  const proxy = await proofProxy(svc, terminal);
  // Chromium sends loopback addresses past a proxy unless told otherwise (`<-loopback>`).
  const context = await browser.newContext({
    userAgent: KIOSK_UA,
    viewport: { width: 1920, height: 1080 },
    acceptDownloads: true,
    proxy: { server: proxy.url, bypass: '<-loopback>' },
  });
  context.on('close', () => proxy.close());
  terminalOf.set(context, terminal);
  return context;
}

/** What the stand-in shell answers to `kiosk.terminal()`; the test may change it between page loads. */
export interface StandInTerminal {
  /** The terminal's language for visitors who chose none (default 'ja'). */
  defaultLanguage?: 'ja' | 'en';
  idleTimeoutSeconds: number;
  countdownSeconds: number;
  printer: { name: string | null; available: boolean };
}

/**
 * A stand-in for the kiosk shell's preload (`window.kiosk`), injected into every page of `context`:
 * records each call in `calls` ('terminal', 'print:<jobId>', 'sessionEnded'); `print` does what the
 * shell does over HTTP (claim → fetch each PDF → complete, or fail); `sessionEnded` loads /login
 * like the shell after its wipe (it clears nothing itself: what is empty afterwards, the renderer cleared).
 */
export async function installKioskStandIn(context: BrowserContext, terminal: StandInTerminal): Promise<{ calls: string[]; terminal: StandInTerminal }> {
  const calls: string[] = [];
  await context.exposeFunction('__kioskStandInCall', (call: string) => {
    calls.push(call);
  });
  await context.exposeFunction('__kioskStandInTerminal', () => ({ terminalId: 'E2E-KIOSK-01', defaultLanguage: 'ja', ...terminal }));
  await context.addInitScript(() => {
    type Call = (call: string) => Promise<void>;
    const w = window as unknown as { kiosk?: KioskBridge; __kioskStandInCall: Call; __kioskStandInTerminal(): Promise<KioskTerminalInfo> };
    const post = async (url: string, body?: unknown) => {
      const session = await (await fetch('/api/session')).json();
      return fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
        body: JSON.stringify(body ?? {}),
      });
    };
    w.kiosk = {
      async terminal() {
        await w.__kioskStandInCall('terminal');
        return w.__kioskStandInTerminal();
      },
      async print(jobId: string) {
        await w.__kioskStandInCall(`print:${jobId}`);
        const job = `/api/certificates/campus-jobs/${encodeURIComponent(jobId)}`;
        const claim = await post(`${job}/claim`);
        if (!claim.ok) return { ok: false as const, code: (await claim.json()).error.code as string };
        const { claimId, documents } = await claim.json();
        for (const doc of documents as Array<{ url: string }>) {
          const pdf = await fetch(doc.url);
          const head = new Uint8Array(await pdf.arrayBuffer()).slice(0, 5);
          if (!pdf.ok || String.fromCharCode(...head) !== '%PDF-') {
            await post(`${job}/fail`, { claimId, detail: 'not a PDF' });
            return { ok: false as const, code: 'campus.printFailed' };
          }
        }
        const done = await post(`${job}/complete`, { claimId });
        return { ok: true as const, printedAt: (await done.json()).printedAt as string };
      },
      async sessionEnded() {
        await w.__kioskStandInCall('sessionEnded');
        window.location.assign('/login');
      },
    };
  });
  return { calls, terminal };
}
