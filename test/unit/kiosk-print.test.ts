import { describe, expect, it } from 'vitest';
import { createKioskPrinter, type KioskPrinterInfo, type PrintPdfOptions, type SessionFetch } from '../../main/print.js';

const ORIGIN = 'http://127.0.0.1:4000';
const PDF = new TextEncoder().encode('%PDF-1.7\n…');

interface Seen {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

/**
 * A hand-written stand-in of the service's campus-job API behind the kiosk session's fetch.
 * `answers` may override any "METHOD path" with a status and body, or throw (network failure).
 */
function fakeService(answers: Record<string, (() => Response) | undefined> = {}) {
  const seen: Seen[] = [];
  const fetch: SessionFetch = async (url, init = {}) => {
    const u = new URL(url);
    const method = init.method ?? 'GET';
    const path = u.pathname;
    seen.push({ method, path: path + u.search, headers: new Headers(init.headers), body: init.body ? JSON.parse(String(init.body)) : undefined });
    const override = answers[`${method} ${path}`];
    if (override) return override();
    if (method === 'GET' && path === '/api/session') return Response.json({ csrfToken: 'tok-1', signedIn: true, kiosk: true });
    if (method === 'POST' && path === '/api/certificates/campus-jobs/job-1/claim') {
      return Response.json({
        jobId: 'job-1',
        claimId: 'claim-9',
        documents: [
          {
            certificateNumber: 'A-1',
            typeCode: 'enrollment',
            language: 'ja',
            copies: 2,
            url: '/api/certificates/campus-jobs/job-1/documents/A-1.pdf?claim=claim-9',
          },
          {
            certificateNumber: 'A-2',
            typeCode: 'enrollment',
            language: 'en',
            copies: 1,
            url: '/api/certificates/campus-jobs/job-1/documents/A-2.pdf?claim=claim-9',
          },
        ],
      });
    }
    if (method === 'GET' && path.startsWith('/api/certificates/campus-jobs/job-1/documents/')) {
      return new Response(PDF, { headers: { 'content-type': 'application/pdf' } });
    }
    if (method === 'POST' && path === '/api/certificates/campus-jobs/job-1/complete')
      return Response.json({ jobId: 'job-1', printedAt: '2026-04-01T09:00:00.000Z' });
    if (method === 'POST' && path === '/api/certificates/campus-jobs/job-1/fail') return Response.json({ jobId: 'job-1', status: 'waiting' });
    return Response.json({ error: { code: 'campus.notFound', message: 'not found' } }, { status: 404 });
  };
  return { fetch, seen, posts: () => seen.filter((s) => s.method === 'POST').map((s) => s.path.replace('/api/certificates/campus-jobs/job-1/', '')) };
}

const refusal = (status: number, code: string) => () => Response.json({ error: { code, message: code } }, { status });

function printerOf(behaviour: (call: number) => Promise<void> = async () => {}) {
  const calls: PrintPdfOptions[] = [];
  return {
    calls,
    printPdf: (_pdf: Uint8Array, options: PrintPdfOptions) => {
      calls.push(options);
      return behaviour(calls.length);
    },
  };
}

const options = { serviceUrl: ORIGIN, printerName: 'Campus_Printer_1' };
const noPrinters = async (): Promise<KioskPrinterInfo[]> => [];

describe('kiosk printing in the shell (main/print.ts)', () => {
  it('claims, prints each document its number of copies, completes, and answers the printing time', async () => {
    const service = fakeService();
    const printer = printerOf();
    const kiosk = createKioskPrinter({ fetch: service.fetch, printPdf: printer.printPdf, getPrintersAsync: noPrinters }, options);
    expect(await kiosk.print('job-1')).toEqual({ ok: true, printedAt: '2026-04-01T09:00:00.000Z' });
    expect(printer.calls).toEqual([
      { deviceName: 'Campus_Printer_1', copies: 2 },
      { deviceName: 'Campus_Printer_1', copies: 1 },
    ]);
    expect(service.posts()).toEqual(['claim', 'complete']);
    expect(service.seen.find((s) => s.path.endsWith('/complete'))!.body).toEqual({ claimId: 'claim-9' });
  });

  it('sends the session CSRF token on every write', async () => {
    const service = fakeService();
    const kiosk = createKioskPrinter({ fetch: service.fetch, printPdf: printerOf().printPdf, getPrintersAsync: noPrinters }, options);
    await kiosk.print('job-1');
    for (const s of service.seen.filter((x) => x.method === 'POST')) {
      expect(s.headers.get('x-csrf-token')).toBe('tok-1');
      expect(s.headers.get('content-type')).toBe('application/json');
    }
    expect(service.seen.map((s) => `${s.method} ${s.path}`)).toContain('GET /api/certificates/campus-jobs/job-1/documents/A-1.pdf?claim=claim-9');
  });

  it("answers the service's code when the claim is refused, and prints nothing", async () => {
    const service = fakeService({ 'POST /api/certificates/campus-jobs/job-1/claim': refusal(409, 'campus.busy') });
    const printer = printerOf();
    const kiosk = createKioskPrinter({ fetch: service.fetch, printPdf: printer.printPdf, getPrintersAsync: noPrinters }, options);
    expect(await kiosk.print('job-1')).toEqual({ ok: false, code: 'campus.busy' });
    expect(printer.calls).toEqual([]);
    expect(service.posts()).toEqual(['claim']);
  });

  it('answers network when the service cannot be reached', async () => {
    const kiosk = createKioskPrinter(
      {
        fetch: async () => {
          throw new TypeError('fetch failed');
        },
        printPdf: printerOf().printPdf,
        getPrintersAsync: noPrinters,
      },
      options,
    );
    expect(await kiosk.print('job-1')).toEqual({ ok: false, code: 'network' });
  });

  it('reports a printer error to the service with its text and answers campus.printFailed', async () => {
    const service = fakeService();
    const printer = printerOf(async (n) => {
      if (n === 2) throw new Error('Campus_Printer_1: out of paper');
    });
    const kiosk = createKioskPrinter({ fetch: service.fetch, printPdf: printer.printPdf, getPrintersAsync: noPrinters }, options);
    expect(await kiosk.print('job-1')).toEqual({ ok: false, code: 'campus.printFailed' });
    expect(service.posts()).toEqual(['claim', 'fail']);
    expect(service.seen.find((s) => s.path.endsWith('/fail'))!.body).toEqual({ claimId: 'claim-9', detail: 'Campus_Printer_1: out of paper' });
  });

  it('reports a document that cannot be downloaded as a failed print, before printing anything', async () => {
    const service = fakeService({ 'GET /api/certificates/campus-jobs/job-1/documents/A-2.pdf': refusal(409, 'campus.claimLost') });
    const printer = printerOf();
    const kiosk = createKioskPrinter({ fetch: service.fetch, printPdf: printer.printPdf, getPrintersAsync: noPrinters }, options);
    expect(await kiosk.print('job-1')).toEqual({ ok: false, code: 'campus.printFailed' });
    expect(printer.calls).toEqual([]);
    expect(service.posts()).toEqual(['claim', 'fail']);
    expect(String((service.seen.find((s) => s.path.endsWith('/fail'))!.body as { detail: string }).detail)).toContain('campus.claimLost');
  });

  it('refuses a download that is not a PDF and reports it as failed', async () => {
    const service = fakeService({ 'GET /api/certificates/campus-jobs/job-1/documents/A-1.pdf': () => new Response('<html>login</html>', { status: 200 }) });
    const printer = printerOf();
    const kiosk = createKioskPrinter({ fetch: service.fetch, printPdf: printer.printPdf, getPrintersAsync: noPrinters }, options);
    expect(await kiosk.print('job-1')).toEqual({ ok: false, code: 'campus.printFailed' });
    expect(printer.calls).toEqual([]);
    expect(service.posts()).toEqual(['claim', 'fail']);
  });

  it('still answers campus.printFailed when reporting the failure itself fails', async () => {
    const service = fakeService({
      'POST /api/certificates/campus-jobs/job-1/fail': () => {
        throw new TypeError('fetch failed');
      },
    });
    const kiosk = createKioskPrinter(
      { fetch: service.fetch, printPdf: () => Promise.reject(new Error('printer offline')), getPrintersAsync: noPrinters },
      options,
    );
    expect(await kiosk.print('job-1')).toEqual({ ok: false, code: 'campus.printFailed' });
  });

  it('never fetches a document from another origin than the service', async () => {
    const service = fakeService({
      'POST /api/certificates/campus-jobs/job-1/claim': () =>
        Response.json({
          jobId: 'job-1',
          claimId: 'claim-9',
          documents: [{ certificateNumber: 'A-1', typeCode: 'x', language: 'ja', copies: 1, url: 'https://evil.example/a.pdf' }],
        }),
    });
    const printer = printerOf();
    const kiosk = createKioskPrinter({ fetch: service.fetch, printPdf: printer.printPdf, getPrintersAsync: noPrinters }, options);
    expect(await kiosk.print('job-1')).toEqual({ ok: false, code: 'campus.printFailed' });
    expect(service.seen.some((s) => s.path === '/a.pdf')).toBe(false);
    expect(printer.calls).toEqual([]);
    expect(service.posts()).toEqual(['claim', 'fail']);
  });

  it('answers the refusal when completing is refused after printing, without reporting a failure', async () => {
    const service = fakeService({ 'POST /api/certificates/campus-jobs/job-1/complete': refusal(409, 'campus.claimLost') });
    const kiosk = createKioskPrinter({ fetch: service.fetch, printPdf: printerOf().printPdf, getPrintersAsync: noPrinters }, options);
    expect(await kiosk.print('job-1')).toEqual({ ok: false, code: 'campus.claimLost' });
    expect(service.posts()).toEqual(['claim', 'complete']);
  });

  it('answers auth.required when the session has no CSRF token', async () => {
    const service = fakeService({ 'GET /api/session': () => Response.json({ signedIn: false }) });
    const kiosk = createKioskPrinter({ fetch: service.fetch, printPdf: printerOf().printPdf, getPrintersAsync: noPrinters }, options);
    expect(await kiosk.print('job-1')).toEqual({ ok: false, code: 'auth.required' });
  });

  it('shares one run between concurrent calls for the same job, and runs again once it has finished', async () => {
    const service = fakeService();
    let release: () => void = () => {};
    const printer = printerOf((n) => (n === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve()));
    const kiosk = createKioskPrinter({ fetch: service.fetch, printPdf: printer.printPdf, getPrintersAsync: noPrinters }, options);
    const first = kiosk.print('job-1');
    const second = kiosk.print('job-1');
    expect(second).toBe(first);
    await expect.poll(() => printer.calls.length).toBe(1);
    release();
    expect(await first).toEqual(await second);
    expect(service.posts()).toEqual(['claim', 'complete']);
    await kiosk.print('job-1');
    expect(service.posts()).toEqual(['claim', 'complete', 'claim', 'complete']);
  });

  it('never rejects, even when the service answers garbage', async () => {
    const service = fakeService({ 'POST /api/certificates/campus-jobs/job-1/claim': () => new Response('not json', { status: 500 }) });
    const kiosk = createKioskPrinter({ fetch: service.fetch, printPdf: printerOf().printPdf, getPrintersAsync: noPrinters }, options);
    expect(await kiosk.print('job-1')).toEqual({ ok: false, code: 'campus.printFailed' });
  });
});

describe('the kiosk printer check (checkPrinter)', () => {
  const deps = (printers: KioskPrinterInfo[] | Error) => ({
    fetch: fakeService().fetch,
    printPdf: printerOf().printPdf,
    getPrintersAsync: async () => {
      if (printers instanceof Error) throw printers;
      return printers;
    },
  });

  it('finds the configured printer by its exact system name', async () => {
    const kiosk = createKioskPrinter(deps([{ name: 'Office' }, { name: 'Campus_Printer_1' }]), options);
    expect(await kiosk.checkPrinter()).toEqual({ name: 'Campus_Printer_1', available: true });
  });

  it('says the configured printer is missing when only similar names are listed', async () => {
    const kiosk = createKioskPrinter(deps([{ name: 'campus_printer_1' }, { name: 'Campus_Printer_1 (copy)' }]), options);
    expect(await kiosk.checkPrinter()).toEqual({ name: 'Campus_Printer_1', available: false });
  });

  it('says the printer is missing when the printer list cannot be read', async () => {
    const kiosk = createKioskPrinter(deps(new Error('cups down')), options);
    expect(await kiosk.checkPrinter()).toEqual({ name: 'Campus_Printer_1', available: false });
  });

  it('with no printer configured, is available when the OS marks a default printer', async () => {
    const none = { ...options, printerName: null };
    expect(
      await createKioskPrinter(
        deps([
          { name: 'A', isDefault: false },
          { name: 'B', isDefault: true },
        ]),
        none,
      ).checkPrinter(),
    ).toEqual({ name: null, available: true });
    expect(await createKioskPrinter(deps([{ name: 'A', isDefault: false }]), none).checkPrinter()).toEqual({ name: null, available: false });
  });

  it('with no printer configured and no default flag reported, is available when any printer is listed', async () => {
    const none = { ...options, printerName: null };
    expect(await createKioskPrinter(deps([{ name: 'A' }]), none).checkPrinter()).toEqual({ name: null, available: true });
    expect(await createKioskPrinter(deps([]), none).checkPrinter()).toEqual({ name: null, available: false });
  });
});
