import { describe, expect, it } from 'vitest';
import type { CampusClaimResponse, OrderListResponse } from '../../service/contract/certificates.js';
import type { Account } from '../../service/domain/model.js';
import { KIOSK_UA, useCampusService } from '../support/campus.js';
import { ApiClient } from '../support/staff.js';

describe('campus printing over HTTP (real service, demo registry, real PDFs)', () => {
  const fixture = useCampusService('campus-owner');
  const { clock, student, stranger } = fixture;

  /**
   * A signed-in session of `who` (what a SAML login produces) with its CSRF token: at the enrolled
   * terminal (every request proved, as its shell does) or in a personal browser.
   */
  async function signedIn(who: Account, kiosk: boolean): Promise<ApiClient & { fetchRaw(path: string): Promise<Response> }> {
    const live = await fixture.service.deps.sessions.create({ kiosk, accountId: who.id });
    const c = new ApiClient(fixture.service.url) as ApiClient & { fetchRaw(path: string): Promise<Response> };
    c.cookies.set('shomei_sid', live.id);
    if (kiosk) c.headersFor = fixture.kioskHeaders;
    c.csrfToken = (await c.get('/api/session')).body.csrfToken;
    c.fetchRaw = (path: string) => {
      const url = new URL(path, fixture.service.url);
      return fetch(url, {
        headers: { cookie: `shomei_sid=${live.id}`, 'user-agent': kiosk ? KIOSK_UA : 'Mozilla/5.0', ...(kiosk ? fixture.kioskHeaders('GET', url) : {}) },
      });
    };
    return c;
  }

  const placeCampusOrder = () =>
    fixture.service.deps.certificates.orders.placeOrder(
      { account: student, studentId: '2101001', destination: 'campus', items: [{ typeCode: 'enrollment', language: 'ja', copies: 2 }] },
      clock.now(),
    );

  it('marks a session opened at an enrolled terminal as a kiosk session, and one that only claims the kiosk User-Agent as not', async () => {
    const url = new URL('/api/session', fixture.service.url);
    const proved = await fetch(url, { headers: { 'user-agent': KIOSK_UA, accept: 'application/json', ...fixture.kioskHeaders('GET', url) } });
    expect(await proved.json()).toMatchObject({ kiosk: true, idleTimeoutSeconds: 180 });
    const claimed = await fetch(url, { headers: { 'user-agent': KIOSK_UA, accept: 'application/json' } });
    expect(await claimed.json()).toMatchObject({ kiosk: false, idleTimeoutSeconds: 1800 });
  });

  it('tells a kiosk whether the visitor chose a language, so that a terminal default applies only until they do', async () => {
    const visitor = new ApiClient(fixture.service.url);
    const first = await visitor.get('/api/session');
    expect(first.body).toMatchObject({ language: 'ja', languageChosen: false });
    visitor.csrfToken = first.body.csrfToken;
    expect((await visitor.call('PUT', '/api/language', { body: { language: 'en' } })).status).toBe(200);
    expect((await visitor.get('/api/session')).body).toMatchObject({ language: 'en', languageChosen: true });
    // A signed-in account always has its language.
    expect((await (await signedIn(student, true)).get('/api/session')).body).toMatchObject({ signedIn: true, languageChosen: true });
  });

  it('refuses a campus print from a personal browser with a translated 403', async () => {
    const placed = await placeCampusOrder();
    const browser = await signedIn(student, false);
    const answer = await browser.post(`/api/certificates/campus-jobs/${placed.campusJob!.id}/claim`);
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('campus.kioskOnly');
    expect(answer.body.error.message).toBe('学内印刷は学内の証明書発行端末でのみ行えます。');
    expect((await fixture.service.deps.certificates.store.campusJobs.get(placed.campusJob!.id))!.status).toBe('waiting');
  });

  it('at a kiosk: claims, downloads the signed PDF, completes, and refuses to print the job again', async () => {
    const placed = await placeCampusOrder();
    const jobId = placed.campusJob!.id;
    const kiosk = await signedIn(student, true);

    const before = (await kiosk.get<OrderListResponse>('/api/certificates/orders')).body;
    expect(before.current.find((o) => o.id === placed.order.id)).toMatchObject({ status: 'awaitingCampusPrint', campusJob: { id: jobId } });

    const claim = await kiosk.post<CampusClaimResponse>(`/api/certificates/campus-jobs/${jobId}/claim`);
    expect(claim.status).toBe(200);
    expect(claim.body.documents).toHaveLength(1);
    const doc = claim.body.documents[0]!;
    expect(doc).toMatchObject({ certificateNumber: placed.certificates[0]!.number, copies: 2, language: 'ja', typeCode: 'enrollment' });

    const pdf = await kiosk.fetchRaw(doc.url);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="${doc.certificateNumber}.pdf"`);
    expect(pdf.headers.get('cache-control')).toBe('no-store');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // A URL with a made-up claim serves nothing.
    const forged = await kiosk.fetchRaw(doc.url.replace(/claim=[^&]+/, 'claim=forged'));
    expect(forged.status).toBe(409);

    const done = await kiosk.post(`/api/certificates/campus-jobs/${jobId}/complete`, { claimId: claim.body.claimId });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ jobId, printedAt: clock.now().toISOString() });

    const again = await kiosk.post(`/api/certificates/campus-jobs/${jobId}/claim`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('campus.alreadyPrinted');
    expect((await kiosk.fetchRaw(doc.url)).status).toBe(409);

    const after = (await kiosk.get<OrderListResponse>('/api/certificates/orders')).body;
    expect(after.current.some((o) => o.id === placed.order.id)).toBe(false);
    expect(after.history.find((o) => o.id === placed.order.id)).toMatchObject({ status: 'printed', current: false });

    const audit = await fixture.service.deps.audit.list({ targetId: jobId });
    expect(audit.items.map((e) => e.action).reverse()).toEqual([
      'certificate.campusJob.created',
      'certificate.campusJob.printStarted',
      'certificate.campusJob.printed',
    ]);
  });

  it('a failed print leaves the job printable, and a second kiosk cannot claim while one prints', async () => {
    const placed = await placeCampusOrder();
    const jobId = placed.campusJob!.id;
    const kiosk = await signedIn(student, true);
    const other = await signedIn(student, true);

    const first = await kiosk.post<CampusClaimResponse>(`/api/certificates/campus-jobs/${jobId}/claim`);
    const busy = await other.post(`/api/certificates/campus-jobs/${jobId}/claim`);
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('campus.busy');

    const failed = await kiosk.post(`/api/certificates/campus-jobs/${jobId}/fail`, { claimId: first.body.claimId, detail: 'paper jam' });
    expect(failed.body).toEqual({ jobId, status: 'waiting' });
    const list = (await kiosk.get<OrderListResponse>('/api/certificates/orders')).body;
    expect(list.current.find((o) => o.id === placed.order.id)?.status).toBe('awaitingCampusPrint');

    const retry = await other.post<CampusClaimResponse>(`/api/certificates/campus-jobs/${jobId}/claim`);
    expect(retry.status).toBe(200);
    expect((await other.post(`/api/certificates/campus-jobs/${jobId}/complete`, { claimId: retry.body.claimId })).status).toBe(200);
  });

  it("answers not found for another account's job and keeps it untouched", async () => {
    const placed = await placeCampusOrder();
    const jobId = placed.campusJob!.id;
    const kiosk = await signedIn(stranger, true);
    const answer = await kiosk.post(`/api/certificates/campus-jobs/${jobId}/claim`);
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('campus.notFound');
    expect((await kiosk.get<OrderListResponse>('/api/certificates/orders')).body).toEqual({ current: [], history: [] });
    expect((await fixture.service.deps.certificates.store.campusJobs.get(jobId))!.status).toBe('waiting');
  });

  it('rejects a malformed complete with field codes, not a 500', async () => {
    const kiosk = await signedIn(student, true);
    const answer = await kiosk.post('/api/certificates/campus-jobs/some-job/complete', { claimId: 42 });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'validation.failed', fields: { claimId: 'required' } });
  });

  it('cancels a still-reserved convenience reservation from the home list, once', async () => {
    const placed = await fixture.service.deps.certificates.orders.placeOrder(
      { account: student, studentId: '2101001', destination: 'convenience', items: [{ typeCode: 'enrollment', language: 'en', copies: 1 }] },
      clock.now(),
    );
    const browser = await signedIn(student, false);
    const outsider = await signedIn(stranger, false);
    expect((await outsider.post(`/api/certificates/orders/${placed.order.id}/cancel`)).status).toBe(404);
    const cancelled = await browser.post(`/api/certificates/orders/${placed.order.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: placed.order.id, status: 'cancelled', current: false });
    const again = await browser.post(`/api/certificates/orders/${placed.order.id}/cancel`);
    expect(again.body.error.code).toBe('reservation.cancelled');
  });
});
