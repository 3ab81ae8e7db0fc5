import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import MailForm from '../../renderer/src/components/MailForm.vue';
import { failure, fakeService, mountIn, textOf } from './support';

const props = {
  purpose: 'register',
  mailLabel: 'メールアドレス',
  confirmLabel: 'メールアドレス(確認用)',
  submitLabel: '送信',
  initial: { mail: '', mailConfirm: '' },
};

const byTestid = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);

describe('MailForm', () => {
  it('refuses an empty form without sending: translated errors next to both fields, the focus on the first', async () => {
    const service = fakeService({});
    const { wrapper } = await mountIn(MailForm, { props });
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(textOf(byTestid('error-message'))).toBe('入力内容を確認してください。');
    expect(textOf(byTestid('field-error-mail'))).toBe('入力してください。');
    expect(textOf(byTestid('field-error-mailConfirm'))).toBe('入力してください。');
    const mail = wrapper.get('[data-testid="mail-input"]');
    expect(mail.attributes('aria-invalid')).toBe('true');
    expect(mail.attributes('aria-describedby')).toBe('mail-hint mail-error');
    expect(document.activeElement).toBe(mail.element);
    expect(service.calls).toEqual([]);
  });

  it('says the two addresses differ, and the message goes once they match', async () => {
    fakeService({});
    const { wrapper } = await mountIn(MailForm, { props });
    await wrapper.get('[data-testid="mail-input"]').setValue('taro@example.ac.jp');
    await wrapper.get('[data-testid="mail-confirm-input"]').setValue('taro@example.ac.j');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(byTestid('field-error-mail')).toBeNull();
    expect(textOf(byTestid('field-error-mailConfirm'))).toBe('入力した2つのメールアドレスが一致しません。');
    expect(document.activeElement).toBe(byTestid('mail-confirm-input'));

    await wrapper.get('[data-testid="mail-confirm-input"]').setValue('taro@example.ac.jp');
    expect(byTestid('field-error-mailConfirm')).toBeNull();
    expect(wrapper.get('[data-testid="mail-confirm-input"]').attributes('aria-invalid')).toBe('false');
  });

  it('puts the service’s refusal next to the mail field in English and keeps what was typed', async () => {
    const service = fakeService({ 'POST /api/mail/registration': () => failure(409, 'mail.alreadyRegistered') });
    const { wrapper } = await mountIn(MailForm, { props, language: 'en' });
    await wrapper.get('[data-testid="mail-input"]').setValue(' taro@example.ac.jp ');
    await wrapper.get('[data-testid="mail-confirm-input"]').setValue('taro@example.ac.jp');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(service.calls.at(-1)).toEqual({
      method: 'POST',
      path: '/api/mail/registration',
      body: { mail: 'taro@example.ac.jp', mailConfirm: 'taro@example.ac.jp' },
    });
    expect(textOf(byTestid('field-error-mail'))).toBe('This mail address is already registered. Please enter a different one.');
    expect(textOf(byTestid('error-message'))).toBe('This mail address is already registered. Please enter a different one.');
    expect((byTestid('mail-input') as HTMLInputElement).value).toBe(' taro@example.ac.jp ');
    expect(document.activeElement).toBe(byTestid('mail-input'));
    expect(wrapper.emitted('sent')).toBeUndefined();
  });

  it('sends a good address and hands over what the service answered', async () => {
    fakeService({ 'POST /api/mail/registration': () => ({ body: { sentTo: 'taro@example.ac.jp', expiresAt: '2026-12-08T00:00:00.000Z' } }) });
    const { wrapper } = await mountIn(MailForm, { props });
    await wrapper.get('[data-testid="mail-input"]').setValue('taro@example.ac.jp');
    await wrapper.get('[data-testid="mail-confirm-input"]').setValue('taro@example.ac.jp');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.emitted('sent')?.[0]?.[0]).toMatchObject({ sentTo: 'taro@example.ac.jp', purpose: 'register' });
    expect(byTestid('error-message')).toBeNull();
  });
});
