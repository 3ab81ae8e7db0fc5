import { describe, expect, it } from 'vitest';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { defineComponent } from 'vue';
import IssueCertificatePage from '../../renderer/src/pages/certificates/IssueCertificatePage.vue';
import { fakeService, mountIn, textOf } from './support';

const name = (ja: string, en: string) => ({ ja, en });
const type = (code: string, fee: number, extra: Record<string, unknown> = {}) => ({
  code,
  template: code,
  languages: ['ja', 'en'],
  destinations: ['convenience', 'campus', 'mail'],
  maxCopies: 3,
  fee,
  validityMonths: null,
  unavailable: null,
  ...extra,
});
const OPTIONS = {
  students: [
    {
      studentId: 'S2024-001',
      status: 'enrolled',
      university: name('聖明大学', 'Seimei University'),
      faculty: name('文学部', 'Faculty of Letters'),
      department: name('史学科', 'History'),
      types: [
        { ...type('enrollment', 200), name: name('在学証明書', 'Certificate of Enrollment') },
        { ...type('transcript', 1500, { languages: ['ja'], destinations: ['convenience', 'campus'] }), name: name('成績証明書', 'Academic Transcript') },
      ],
    },
  ],
  maxCopiesPerOrder: 20,
  reservationValidDays: 7,
  prefectures: [name('北海道', 'Hokkaido'), name('東京都', 'Tokyo')],
};

const Order = defineComponent({ render: () => null });

async function open(language: 'ja' | 'en', handlers: Parameters<typeof fakeService>[0] = {}) {
  const service = fakeService({ 'GET /api/certificates/options': () => ({ body: OPTIONS }), ...handlers });
  const mounted = await mountIn(IssueCertificatePage, {
    language,
    path: '/certificates/issue',
    routes: [{ path: '/certificates/orders/:id', name: 'certificate-order', component: Order }],
  });
  return { ...mounted, service };
}

const el = (wrapper: VueWrapper, testid: string) => wrapper.get(`[data-testid="${testid}"]`);
const text = (wrapper: VueWrapper, testid: string) => textOf(el(wrapper, testid).element);
const plus = (wrapper: VueWrapper, code: string, language: string) => el(wrapper, `issue-copies-${code}-${language}-plus`).trigger('click');

describe('証明書を発行', () => {
  it('adds up copies and fee as types, languages and copies are chosen, within each type’s limit', async () => {
    const { wrapper } = await open('ja');
    expect(text(wrapper, 'issue-total-copies')).toBe('0部(1回の申請で20部まで)');
    expect(text(wrapper, 'issue-total-fee')).toBe('0円');
    expect(el(wrapper, 'issue-copies-enrollment-ja-minus').attributes('disabled')).toBeDefined();

    await plus(wrapper, 'enrollment', 'ja');
    await plus(wrapper, 'enrollment', 'ja');
    await plus(wrapper, 'enrollment', 'en');
    expect(text(wrapper, 'issue-total-copies')).toBe('3部(1回の申請で20部まで)');
    expect(text(wrapper, 'issue-total-fee')).toBe('600円');

    await plus(wrapper, 'transcript', 'ja');
    expect(text(wrapper, 'issue-total-fee')).toBe('2,100円');

    await plus(wrapper, 'enrollment', 'ja');
    expect(el(wrapper, 'issue-copies-enrollment-ja-plus').attributes('disabled')).toBeDefined();
    expect(text(wrapper, 'issue-copies-enrollment-ja-limit')).toBe('1回の申請で3部まで');
    await el(wrapper, 'issue-copies-enrollment-ja').setValue('5');
    expect(text(wrapper, 'issue-copies-enrollment-ja-error')).toBe('この証明書は1回の申請で3部まで発行できます。');
    expect(el(wrapper, 'issue-copies-enrollment-ja').attributes('aria-invalid')).toBe('true');
  });

  it('refuses 確認 with nothing chosen and says so next to the totals', async () => {
    const { wrapper, service } = await open('ja');
    await wrapper.get('form.issue-form').trigger('submit');
    await flushPromises();
    expect(text(wrapper, 'issue-order-error')).toBe('証明書を1種類以上選択してください。');
    expect(wrapper.find('[data-testid="issue-confirm"]').exists()).toBe(false);
    expect(service.calls.map((c) => c.path)).toEqual(['/api/certificates/options']);
  });

  it('by mail (in English): a type not sent by post drops out, the address is asked for, and the summary shows it all', async () => {
    const { wrapper, router, service } = await open('en', {
      'POST /api/certificates/orders': () => ({ status: 201, body: { id: 'order-9' } }),
    });
    await plus(wrapper, 'enrollment', 'en');
    await plus(wrapper, 'transcript', 'ja');
    expect(text(wrapper, 'issue-total-fee')).toBe('¥1,700');

    await el(wrapper, 'issue-destination-mail').setValue(true);
    await flushPromises();
    expect(router.currentRoute.value.query.destination).toBe('mail');
    expect(text(wrapper, 'issue-type-transcript-reason')).toBe('This certificate cannot be issued by "Mail".');
    expect(text(wrapper, 'issue-total-fee')).toBe('¥200');

    // 確認 without the address: the errors go next to the address fields.
    await wrapper.get('form.issue-form').trigger('submit');
    await flushPromises();
    const postal = el(wrapper, 'address-postalCode');
    expect(postal.attributes('aria-invalid')).toBe('true');
    expect(text(wrapper, 'address-error-postalCode')).toBe('Please fill in this field.');
    expect(postal.attributes('aria-describedby')).toBe('address-postalCode-hint address-postalCode-error');
    expect(document.activeElement).toBe(postal.element);

    await postal.setValue('100-0001');
    await el(wrapper, 'address-prefecture').setValue('東京都');
    await el(wrapper, 'address-line1').setValue('千代田区千代田1-1');
    expect(wrapper.find('[data-testid="address-error-postalCode"]').exists()).toBe(false);
    await wrapper.get('form.issue-form').trigger('submit');
    await flushPromises();

    expect(text(wrapper, 'confirm-destination')).toBe('Mail');
    expect(text(wrapper, 'confirm-student')).toContain('S2024-001');
    const lines = textOf(el(wrapper, 'confirm-lines').element);
    expect(lines).toContain('Certificate of Enrollment');
    expect(lines).not.toContain('Academic Transcript');
    expect(text(wrapper, 'confirm-total-copies')).toBe('1');
    expect(text(wrapper, 'confirm-total-fee')).toBe('¥200');
    expect(text(wrapper, 'confirm-address')).toContain('千代田区千代田1-1');

    await el(wrapper, 'issue-apply').trigger('click');
    await flushPromises();
    expect(service.calls.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/certificates/orders',
      body: {
        studentId: 'S2024-001',
        destination: 'mail',
        items: [{ typeCode: 'enrollment', language: 'en', copies: 1 }],
        postalAddress: { kind: 'domestic', prefecture: '東京都' },
      },
    });
    expect(router.currentRoute.value.fullPath).toBe('/certificates/orders/order-9');
  });
});
