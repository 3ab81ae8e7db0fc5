import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminCertificateTypeList, CertificateType, LoadTemplateResponse } from '../../service/contract/certificates.js';
import { loadCertificateTypes } from '../../service/adapters/files/certificate-types.js';
import { account, TestClock } from '../support/factories.js';
import { startService, type RunningService } from '../support/service.js';
import { ApiClient, readDemoStaffCredentials } from '../support/staff.js';

/** The certificate catalogue in the console: administrators create, retire, delete and load the usual set; reviewers read. */
describe('the certificate catalogue over HTTP (real service)', () => {
  let service: RunningService;
  let demo: Record<string, { role: string; password: string }>;
  const clock = new TestClock(new Date('2026-04-01T09:00:00Z'));

  beforeAll(async () => {
    service = await startService({}, { clock });
    demo = readDemoStaffCredentials(service.dataDir);
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
  });

  const staff = async (username: 'admin' | 'reviewer') => {
    const c = new ApiClient(service.url);
    expect((await c.staffLogin(username, demo[username]!.password)).status).toBe(200);
    return c;
  };
  const newType = (code: string): CertificateType => ({
    code,
    name: { ja: '在籍期間証明書', en: 'Certificate of Enrollment Period' },
    template: 'enrollment',
    languages: ['ja'],
    eligibleStatuses: ['enrolled', 'graduated'],
    requiresGraduationDateWithinMonths: null,
    destinations: ['campus', 'mail'],
    maxCopies: 5,
    validityMonths: 6,
    fee: 400,
    active: true,
    sortOrder: 60,
  });
  const audited = async (action: string, id: string) => (await service.deps.audit.list({ action })).items.filter((e) => e.target.id === id);

  it('lets an administrator create a type, audited, and refuses the same code again on the code field', async () => {
    const admin = await staff('admin');
    const created = await admin.post('/api/admin/certificate-types', newType('period'));
    expect(created.status).toBe(201);
    expect(created.body).toEqual(newType('period'));
    const list = await admin.get<AdminCertificateTypeList>('/api/admin/certificate-types');
    expect(list.body.find((t) => t.code === 'period')).toMatchObject({ issued: 0, validityMonths: 6 });
    expect((await audited('certificate.type.created', 'period'))[0]).toMatchObject({ before: null, after: { code: 'period', fee: 400 }, note: null });

    const again = await admin.post('/api/admin/certificate-types', { ...newType('period'), fee: 0 });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ code: 'validation.failed', fields: { code: 'certificateType.codeDuplicate' } });
    expect((await service.deps.certificates.store.types.get('period'))?.fee).toBe(400);

    const bad = await admin.post('/api/admin/certificate-types', { ...newType('Bad code'), template: 'diploma', destinations: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toMatchObject({
      code: 'certificateType.codeInvalid',
      template: 'certificateType.templateInvalid',
      destinations: 'certificateType.destinationsInvalid',
    });
  });

  it('lets a reviewer read the catalogue but change nothing', async () => {
    const reviewer = await staff('reviewer');
    const list = await reviewer.get<AdminCertificateTypeList>('/api/admin/certificate-types');
    expect(list.status).toBe(200);
    expect(list.body.map((t) => t.code)).toContain('enrollment');
    const refusals = [
      await reviewer.post('/api/admin/certificate-types', newType('by-reviewer')),
      await reviewer.post('/api/admin/certificate-types/template'),
      await reviewer.call('DELETE', '/api/admin/certificate-types/discount'),
      await reviewer.call('PUT', '/api/admin/certificate-types/discount', { body: { ...list.body.find((t) => t.code === 'discount')!, active: false } }),
    ];
    expect(refusals.map((r) => [r.status, r.body.error.code])).toEqual(Array(4).fill([403, 'auth.forbidden']));
    expect(await service.deps.certificates.store.types.get('by-reviewer')).toBeNull();
    expect((await service.deps.certificates.store.types.get('discount'))?.active).toBe(true);
  });

  it('requires the staff CSRF token for every change of the catalogue', async () => {
    const admin = await staff('admin');
    const refusals = [
      await admin.post('/api/admin/certificate-types', newType('no-token'), { csrf: null }),
      await admin.post('/api/admin/certificate-types/template', undefined, { csrf: null }),
      await admin.call('DELETE', '/api/admin/certificate-types/period', { csrf: null }),
    ];
    expect(refusals.map((r) => [r.status, r.body.error.code])).toEqual(Array(3).fill([403, 'csrf.invalid']));
    expect(await service.deps.certificates.store.types.get('no-token')).toBeNull();
    expect(await service.deps.certificates.store.types.get('period')).not.toBeNull();
    expect((await new ApiClient(service.url).get('/api/admin/certificate-types')).status).toBe(401);
  });

  it('deletes a type never issued, audited, but only retires a type of which a certificate was issued', async () => {
    const holder = account({ mail: 'catalogue@mail.example.ac.jp', studentIds: ['2101001'], nameKanji: '山田 太郎' });
    await service.stores.store.accounts.insert(holder);
    await service.deps.certificates.orders.placeOrder(
      { account: holder, studentId: '2101001', destination: 'campus', items: [{ typeCode: 'transcript', language: 'ja', copies: 1 }] },
      clock.now(),
    );
    const admin = await staff('admin');
    const transcript = (await admin.get<AdminCertificateTypeList>('/api/admin/certificate-types')).body.find((t) => t.code === 'transcript')!;
    expect(transcript.issued).toBe(1);

    const refused = await admin.call('DELETE', '/api/admin/certificate-types/transcript');
    expect([refused.status, refused.body.error.code]).toEqual([409, 'certificateType.inUse']);
    expect(await service.deps.certificates.store.types.get('transcript')).not.toBeNull();
    // Retiring (and reinstating) is an edit of `active`.
    const { issued: _issued, ...stored } = transcript;
    const retired = await admin.call('PUT', '/api/admin/certificate-types/transcript', { body: { ...stored, active: false } });
    expect([retired.status, retired.body.active]).toEqual([200, false]);
    expect((await admin.call('PUT', '/api/admin/certificate-types/transcript', { body: stored })).body.active).toBe(true);

    const deleted = await admin.call<AdminCertificateTypeList>('DELETE', '/api/admin/certificate-types/period');
    expect(deleted.status).toBe(200);
    expect(deleted.body.map((t) => t.code)).not.toContain('period');
    expect((await audited('certificate.type.deleted', 'period'))[0]).toMatchObject({ before: { code: 'period' }, after: null });
    const unknown = await admin.call('DELETE', '/api/admin/certificate-types/period');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'certificateType.notFound']);
  });

  it('loads the usual set: adds only the codes that are missing, never overwriting an edited type, and audits each addition', async () => {
    const admin = await staff('admin');
    expect((await admin.call('DELETE', '/api/admin/certificate-types/discount')).status).toBe(200);
    const enrollment = (await service.deps.certificates.store.types.get('enrollment'))!;
    await admin.call('PUT', '/api/admin/certificate-types/enrollment', {
      body: { ...enrollment, fee: 350, name: { ja: '在学証明書(和文)', en: 'Certificate of Enrollment' } },
    });

    const loaded = await admin.post<LoadTemplateResponse>('/api/admin/certificate-types/template');
    expect(loaded.status).toBe(200);
    expect(loaded.body.added).toEqual(['discount']);
    const template = await loadCertificateTypes();
    expect(loaded.body.types.map((t) => t.code)).toEqual(expect.arrayContaining(template.map((t) => t.code)));
    expect(loaded.body.types.find((t) => t.code === 'enrollment')).toMatchObject({ fee: 350, name: { ja: '在学証明書(和文)' } });
    expect(loaded.body.types.find((t) => t.code === 'discount')).toMatchObject({ ...template.find((t) => t.code === 'discount'), issued: 0 });
    expect((await audited('certificate.type.created', 'discount')).at(0)).toMatchObject({ before: null, after: { code: 'discount' }, note: 'template' });

    expect((await admin.post<LoadTemplateResponse>('/api/admin/certificate-types/template')).body.added).toEqual([]);
  });
});
