import { describe, expect, it } from 'vitest';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import type { RouteLocationNormalized } from 'vue-router';
import GraduateRegisterPage from '../../renderer/src/pages/graduates/GraduateRegisterPage.vue';
import { takeLinkToken } from '../../renderer/src/linkToken';
import { failure, fakeService, mountIn, textOf } from './support';

const CATALOGUE = [
  {
    code: 'U1',
    name: { ja: '聖明大学', en: 'Seimei University' },
    faculties: [{ code: 'F1', name: { ja: '文学部', en: 'Faculty of Letters' }, departments: [{ code: 'D1', name: { ja: '史学科', en: 'History' } }] }],
  },
];

async function openLink(language: 'ja' | 'en', handlers: Parameters<typeof fakeService>[0] = {}) {
  takeLinkToken({ hash: '#token=reg-1', path: '/graduates/register', query: {} } as unknown as RouteLocationNormalized);
  const service = fakeService({
    'POST /api/graduates/register/check': () => ({ body: { mail: 'hanako.sato@example.com', expiresAt: '2026-12-08T09:00:00.000Z' } }),
    'GET /api/catalogue': () => ({ body: CATALOGUE }),
    ...handlers,
  });
  const { wrapper } = await mountIn(GraduateRegisterPage, { language });
  return { wrapper, service };
}

const input = (wrapper: VueWrapper, testid: string) => wrapper.get(`[data-testid="${testid}"]`);
const errorText = (field: string) => textOf(document.querySelector(`[data-testid="grad-error-${field}"]`));

async function fillApplication(wrapper: VueWrapper) {
  const set = (name: string, value: string | boolean) => input(wrapper, `app-field-${name}`).setValue(value);
  await set('nameKanji', '佐藤 花子');
  await set('nameKana', 'サトウ ハナコ');
  await set('nameRoman', 'Sato Hanako');
  await set('universityCode', 'U1');
  await set('facultyCode', 'F1');
  await set('departmentCode', 'D1');
  await set('studentId', 'S2015-042');
  await set('graduationYear', '2019');
  await set('graduationMonth', '03');
  await set('leaveType-graduated', true);
}

async function setSecrets(wrapper: VueWrapper, values: Record<string, string>) {
  for (const [field, value] of Object.entries(values)) await input(wrapper, `grad-field-${field}`).setValue(value);
}

describe('卒業生の利用申請: the password rules', () => {
  it('shows the rules before typing and says next to each field which one a password breaks', async () => {
    const { wrapper, service } = await openLink('ja');
    const rules = textOf(document.getElementById('grad-rules'));
    expect(rules).toContain('パスワードの条件');
    expect(rules).toContain('パスワード: 12文字以上で、英字と数字を両方含めてください。');
    expect(input(wrapper, 'grad-field-password').attributes('aria-describedby')).toBe('grad-rules');

    await fillApplication(wrapper);
    await setSecrets(wrapper, { password: 'hanako.sato2024', passwordConfirm: 'hanako.sato2024', secondPassword: 'short1', secondPasswordConfirm: '' });
    await input(wrapper, 'grad-register-form').trigger('submit');
    await flushPromises();

    expect(errorText('password')).toBe('メールアドレスの「＠」より前の部分を含めることはできません。');
    expect(errorText('passwordConfirm')).toBe('');
    expect(errorText('secondPassword')).toBe('8文字以上で入力してください。');
    expect(errorText('secondPasswordConfirm')).toBe('入力してください。');
    const password = input(wrapper, 'grad-field-password');
    expect(password.attributes('aria-invalid')).toBe('true');
    expect(password.attributes('aria-describedby')).toBe('grad-rules grad-password-error');
    expect(document.activeElement).toBe(password.element);
    expect((password.element as HTMLInputElement).value).toBe('hanako.sato2024');
    expect(textOf(document.querySelector('[data-testid="error-message"]'))).toContain('3');

    // Fixed as typed: letters only, then letters and digits; the second must differ from it.
    await setSecrets(wrapper, { password: 'abcdefghijklmn' });
    expect(errorText('password')).toBe('英字と数字を両方含めてください。');
    await setSecrets(wrapper, { password: 'Kamome2024river' });
    expect(errorText('password')).toBe('');
    expect(errorText('passwordConfirm')).toBe('入力したパスワードが一致しません。');
    await setSecrets(wrapper, { passwordConfirm: 'Kamome2024river', secondPassword: 'Kamome2024river' });
    expect(errorText('passwordConfirm')).toBe('');
    expect(errorText('secondPassword')).toBe('パスワードとは異なるものを入力してください。');
    expect(service.calls.some((c) => c.path === '/api/graduates/register')).toBe(false);
  });

  it('in English: the rules, the errors, and the service’s refusal back at the password with the input kept', async () => {
    const { wrapper, service } = await openLink('en', {
      'POST /api/graduates/register': () => failure(400, 'validation.failed', { password: 'password.lettersAndDigits' }),
    });
    expect(textOf(document.getElementById('grad-rules'))).toContain('Second password: at least 8 characters, and different from the password.');
    await fillApplication(wrapper);
    await setSecrets(wrapper, { password: 'short', passwordConfirm: 'short', secondPassword: 'tidepool8', secondPasswordConfirm: 'tidepool8' });
    await input(wrapper, 'grad-register-form').trigger('submit');
    await flushPromises();
    expect(errorText('password')).toBe('Please enter at least 12 characters.');

    await setSecrets(wrapper, { password: 'Kamome2024river', passwordConfirm: 'Kamome2024river' });
    await input(wrapper, 'grad-register-form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="grad-review-step"]').exists()).toBe(true);
    await input(wrapper, 'grad-submit').trigger('click');
    await flushPromises();

    expect(service.calls.at(-1)).toMatchObject({
      path: '/api/graduates/register',
      body: { token: 'reg-1', password: 'Kamome2024river', secondPassword: 'tidepool8' },
    });
    expect(errorText('password')).toBe('Please use both letters and digits.');
    expect((input(wrapper, 'grad-field-password').element as HTMLInputElement).value).toBe('Kamome2024river');
    expect((input(wrapper, 'app-field-nameRoman').element as HTMLInputElement).value).toBe('Sato Hanako');
  });
});
