import { describe, expect, it } from 'vitest';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import type { RouteLocationNormalized } from 'vue-router';
import StudentIdApplicationPage from '../../renderer/src/pages/applications/StudentIdApplicationPage.vue';
import { takeLinkToken } from '../../renderer/src/linkToken';
import { failure, fakeService, mountIn, textOf } from './support';

const CATALOGUE = [
  {
    code: 'U1',
    name: { ja: '聖明大学', en: 'Seimei University' },
    faculties: [{ code: 'F1', name: { ja: '文学部', en: 'Faculty of Letters' }, departments: [{ code: 'D1', name: { ja: '史学科', en: 'History' } }] }],
  },
];

/** The page as opened from the mailed link (the route guard keeps the token). */
async function openLink(language: 'ja' | 'en', handlers: Parameters<typeof fakeService>[0] = {}) {
  takeLinkToken({ hash: '#token=link-1', path: '/applications/student-id', query: {} } as unknown as RouteLocationNormalized);
  const service = fakeService({
    'POST /api/applications/student-id/check': () => ({ body: { expiresAt: '2026-12-08T09:00:00.000Z' } }),
    'GET /api/catalogue': () => ({ body: CATALOGUE }),
    ...handlers,
  });
  const { wrapper } = await mountIn(StudentIdApplicationPage, { language });
  return { wrapper, service };
}

const field = (wrapper: VueWrapper, name: string) => wrapper.get(`[data-testid="app-field-${name}"]`);
const errorText = (name: string) => textOf(document.querySelector(`[data-testid="app-error-${name}"]`));

async function fill(wrapper: VueWrapper) {
  await field(wrapper, 'nameKanji').setValue('山田 太郎');
  await field(wrapper, 'nameKana').setValue('ヤマダ タロウ');
  await field(wrapper, 'nameRoman').setValue('Yamada Taro');
  await field(wrapper, 'universityCode').setValue('U1');
  await field(wrapper, 'facultyCode').setValue('F1');
  await field(wrapper, 'departmentCode').setValue('D1');
  await field(wrapper, 'studentId').setValue('S2019-001');
  await field(wrapper, 'graduationYear').setValue('2023');
  await field(wrapper, 'graduationMonth').setValue('03');
  await field(wrapper, 'leaveType-graduated').setValue(true);
}

describe('追加学籍番号の申請 form', () => {
  it('shows the translated errors next to their fields after 確認, keeps what was typed and focuses the first', async () => {
    const { wrapper, service } = await openLink('ja');
    await field(wrapper, 'nameKanji').setValue('山田太郎');
    await field(wrapper, 'studentId').setValue('S#1');
    await wrapper.get('[data-testid="app-form"]').trigger('submit');
    await flushPromises();

    expect(textOf(document.querySelector('[data-testid="error-message"]'))).toContain('入力内容に誤りがあります。');
    expect(errorText('nameKanji')).toBe('苗字と名前の間にスペースを入れてください。');
    expect(errorText('nameKana')).toBe('入力してください。');
    expect(errorText('universityCode')).toBe('選択してください。');
    expect(errorText('studentId')).toBe('学籍番号は半角英数字とハイフンで、20文字以内で入力してください。');
    const kanji = field(wrapper, 'nameKanji');
    expect((kanji.element as HTMLInputElement).value).toBe('山田太郎');
    expect(kanji.attributes('aria-invalid')).toBe('true');
    expect(kanji.attributes('aria-describedby')).toBe('app-name-hint app-nameKanji-example app-nameKanji-error');
    expect(document.activeElement).toBe(kanji.element);
    expect(service.calls.filter((c) => c.path === '/api/applications/student-id')).toEqual([]);

    // The messages follow the typing once 確認 was pressed.
    await kanji.setValue('山田 太郎');
    expect(document.querySelector('[data-testid="app-error-nameKanji"]')).toBeNull();
    expect(kanji.attributes('aria-invalid')).toBe('false');
  });

  it('brings the service’s field error back onto the form in English, with the input kept', async () => {
    const { wrapper, service } = await openLink('en', {
      'POST /api/applications/student-id': () => failure(400, 'validation.failed', { studentId: 'studentId.pending' }),
    });
    await fill(wrapper);
    await wrapper.get('[data-testid="app-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="app-review-step"]').exists()).toBe(true);
    expect(textOf(wrapper.get('[data-testid="app-review-step"]').element)).toContain('Seimei University');

    await wrapper.get('[data-testid="app-submit"]').trigger('click');
    await flushPromises();
    expect(service.calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/applications/student-id', body: { token: 'link-1' } });
    expect(errorText('studentId')).toBe('An application for this student ID number is already under review.');
    expect((field(wrapper, 'studentId').element as HTMLInputElement).value).toBe('S2019-001');
    expect((field(wrapper, 'nameRoman').element as HTMLInputElement).value).toBe('Yamada Taro');
    expect(document.activeElement).toBe(field(wrapper, 'studentId').element);
  });
});
