import { describe, expect, it } from 'vitest';
import { createKioskPrinter, type PrintPdfOptions, type SessionFetch } from '../../main/print.js';
import { createTerminalProver, provenFetch } from '../../main/terminal-proof.js';
import type { OrderListResponse } from '../../service/contract/certificates.js';
import type { Account } from '../../service/domain/model.js';
import { KIOSK_UA, useCampusService, type CampusFixture } from '../support/campus.js';

/**
 * Stand-in for the kiosk window's `session.fetch`: one cookie jar, the kiosk User-Agent, and the
 * terminal proof the shell adds to its requests (main/terminal-proof.ts, at the service's pinned time).
 */
function sessionFetch(fixture: CampusFixture, cookies: Map<string, string>): SessionFetch {
  const prover = createTerminalProver({ key: fixture.terminal.key, shellVersion: '0.1.0', now: () => fixture.clock.now().getTime() });
  const jar: SessionFetch = async (url, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('user-agent', KIOSK_UA);
    if (cookies.size) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    return res;
  };
  return provenFetch(jar, prover, fixture.service.url);
}

describe('kiosk.print in the shell against the real service (demo registry, real PDFs)', () => {
  const fixture = useCampusService('kiosk-print');
  const { clock, student, stranger } = fixture;

  /** The kiosk window's session after `who` signed in there (what a SAML login at the kiosk produces). */
  async function kioskSession(who: Account, kiosk = true): Promise<{ fetch: SessionFetch; cookies: Map<string, string> }> {
    const live = await fixture.service.deps.sessions.create({ kiosk, accountId: who.id });
    const cookies = new Map([['shomei_sid', live.id]]);
    return { fetch: sessionFetch(fixture, cookies), cookies };
  }

  const placeCampusOrder = () =>
    fixture.service.deps.certificates.orders.placeOrder(
      {
        account: student,
        studentId: '2101001',
        destination: 'campus',
        items: [
          { typeCode: 'enrollment', language: 'ja', copies: 2 },
          { typeCode: 'enrollment', language: 'en', copies: 1 },
        ],
      },
      clock.now(),
    );

  async function orderStatus(f: SessionFetch, orderId: string): Promise<string | undefined> {
    const list = (await (await f(`${fixture.service.url}/api/certificates/orders`, { headers: { accept: 'application/json' } })).json()) as OrderListResponse;
    return [...list.current, ...list.history].find((o) => o.id === orderId)?.status;
  }

  function recordingPrinter(fail: (call: number) => Error | null = () => null) {
    const calls: Array<{ pdf: Uint8Array; options: PrintPdfOptions }> = [];
    return {
      calls,
      printPdf: async (pdf: Uint8Array, options: PrintPdfOptions) => {
        calls.push({ pdf, options });
        const error = fail(calls.length);
        if (error) throw error;
      },
    };
  }

  it('claims, prints every document silently with its copies on the configured printer, completes, and refuses a second print', async () => {
    const placed = await placeCampusOrder();
    const jobId = placed.campusJob!.id;
    const session = await kioskSession(student);
    const printer = recordingPrinter();
    const kiosk = createKioskPrinter(
      { fetch: session.fetch, printPdf: printer.printPdf, getPrintersAsync: async () => [] },
      { serviceUrl: `${fixture.service.url}/`, printerName: 'Campus_Printer_1' },
    );

    const result = await kiosk.print(jobId);
    expect(result).toEqual({ ok: true, printedAt: clock.now().toISOString() });
    expect(printer.calls.map((c) => c.options)).toEqual([
      { deviceName: 'Campus_Printer_1', copies: 2 },
      { deviceName: 'Campus_Printer_1', copies: 1 },
    ]);
    for (const { pdf } of printer.calls) {
      expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(1000);
    }
    expect(await orderStatus(session.fetch, placed.order.id)).toBe('printed');

    // The attempt log names the enrolled terminal that proved the requests.
    const audit = await fixture.service.deps.audit.list({ targetId: jobId });
    expect(JSON.stringify(audit.items)).toContain('kiosk:LIB-1F-01');

    expect(await kiosk.print(jobId)).toEqual({ ok: false, code: 'campus.alreadyPrinted' });
    expect(printer.calls).toHaveLength(2);
  });

  it('prints to the OS default printer when none is configured', async () => {
    const placed = await placeCampusOrder();
    const session = await kioskSession(student);
    const printer = recordingPrinter();
    const kiosk = createKioskPrinter(
      { fetch: session.fetch, printPdf: printer.printPdf, getPrintersAsync: async () => [] },
      { serviceUrl: fixture.service.url, printerName: null },
    );
    expect((await kiosk.print(placed.campusJob!.id)).ok).toBe(true);
    expect(printer.calls.map((c) => c.options.deviceName)).toEqual([null, null]);
  });

  it('reports a printer failure to the service, leaves the job printable, and a later print succeeds', async () => {
    const placed = await placeCampusOrder();
    const jobId = placed.campusJob!.id;
    const session = await kioskSession(student);
    const broken = recordingPrinter((n) => (n === 2 ? new Error('paper jam in tray 2') : null));
    const kiosk = createKioskPrinter(
      { fetch: session.fetch, printPdf: broken.printPdf, getPrintersAsync: async () => [] },
      { serviceUrl: fixture.service.url, printerName: 'Campus_Printer_1' },
    );

    expect(await kiosk.print(jobId)).toEqual({ ok: false, code: 'campus.printFailed' });
    expect((await fixture.service.deps.certificates.store.campusJobs.get(jobId))!.status).toBe('waiting');
    expect(await orderStatus(session.fetch, placed.order.id)).toBe('awaitingCampusPrint');
    const audit = await fixture.service.deps.audit.list({ targetId: jobId });
    expect(JSON.stringify(audit.items)).toContain('paper jam in tray 2');

    const fixed = recordingPrinter();
    const again = createKioskPrinter(
      { fetch: session.fetch, printPdf: fixed.printPdf, getPrintersAsync: async () => [] },
      { serviceUrl: fixture.service.url, printerName: 'Campus_Printer_1' },
    );
    expect((await again.print(jobId)).ok).toBe(true);
    expect(fixed.calls).toHaveLength(2);
    expect(await orderStatus(session.fetch, placed.order.id)).toBe('printed');
  });

  it('prints a job once when print is called twice at the same time', async () => {
    const placed = await placeCampusOrder();
    const session = await kioskSession(student);
    const printer = recordingPrinter();
    const kiosk = createKioskPrinter(
      { fetch: session.fetch, printPdf: printer.printPdf, getPrintersAsync: async () => [] },
      { serviceUrl: fixture.service.url, printerName: 'Campus_Printer_1' },
    );
    const [a, b] = await Promise.all([kiosk.print(placed.campusJob!.id), kiosk.print(placed.campusJob!.id)]);
    expect(a.ok).toBe(true);
    expect(b).toEqual(a);
    expect(printer.calls).toHaveLength(2);
  });

  it("answers the service's refusal code for another account's job or a session that is not a kiosk's, printing nothing", async () => {
    const placed = await placeCampusOrder();
    const printer = recordingPrinter();
    const options = { serviceUrl: fixture.service.url, printerName: 'Campus_Printer_1' };
    const strangers = createKioskPrinter(
      { fetch: (await kioskSession(stranger)).fetch, printPdf: printer.printPdf, getPrintersAsync: async () => [] },
      options,
    );
    expect(await strangers.print(placed.campusJob!.id)).toEqual({ ok: false, code: 'campus.notFound' });

    const browser = await kioskSession(student, false);
    const personal = createKioskPrinter({ fetch: browser.fetch, printPdf: printer.printPdf, getPrintersAsync: async () => [] }, options);
    expect(await personal.print(placed.campusJob!.id)).toEqual({ ok: false, code: 'campus.kioskOnly' });
    expect(printer.calls).toHaveLength(0);
    expect((await fixture.service.deps.certificates.store.campusJobs.get(placed.campusJob!.id))!.status).toBe('waiting');
  });

  it('answers auth.required when nobody is signed in at the kiosk', async () => {
    const placed = await placeCampusOrder();
    const printer = recordingPrinter();
    const anonymous = createKioskPrinter(
      { fetch: sessionFetch(fixture, new Map()), printPdf: printer.printPdf, getPrintersAsync: async () => [] },
      { serviceUrl: fixture.service.url, printerName: null },
    );
    expect(await anonymous.print(placed.campusJob!.id)).toEqual({ ok: false, code: 'auth.required' });
    expect(printer.calls).toHaveLength(0);
  });
});
