import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { OrderView } from '../../service/contract/certificates.js';

/** Helpers shared by the campus-printing and kiosk end-to-end tests (orders over the API, kiosk contexts). */

/** A Chromium User-Agent with the kiosk shell's marker: the service treats the session as a kiosk's. */
export const KIOSK_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 ShomeiKiosk/1.0';

/** POST /api/certificates/orders over the page's own session (CSRF token from GET /api/session). */
export async function placeOrder(page: Page, base: string, studentId: string, destination: 'campus' | 'convenience', language: 'ja' | 'en'): Promise<OrderView> {
  const session = await (await page.request.get(`${base}/api/session`)).json();
  const answer = await page.request.post(`${base}/api/certificates/orders`, {
    headers: { 'X-CSRF-Token': session.csrfToken },
    data: { studentId, destination, items: [{ typeCode: 'enrollment', language, copies: 2 }] },
  });
  expect(answer.status(), await answer.text()).toBe(201);
  return answer.json();
}

/** POST …/campus-jobs/:jobId/claim over the page's session, as a second print attempt would. */
export async function claimOverApi(page: Page, base: string, jobId: string) {
  const session = await (await page.request.get(`${base}/api/session`)).json();
  return page.request.post(`${base}/api/certificates/campus-jobs/${jobId}/claim`, { headers: { 'X-CSRF-Token': session.csrfToken } });
}

/** A full-HD browser context with the kiosk User-Agent. */
export const kioskContext = (browser: Browser): Promise<BrowserContext> =>
  browser.newContext({ userAgent: KIOSK_UA, viewport: { width: 1920, height: 1080 }, acceptDownloads: true });
