import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import CredentialCheck from '../../renderer/src/pages/verify/CredentialCheck.vue';
import { failure, fakeService, mountIn, textOf } from './support';

const FACTS = {
  number: 'SHM-2026-4SBX-NMV8',
  typeCode: 'discount',
  typeName: { ja: '学割証', en: 'Student Discount Certificate' },
  holderName: '山田 太郎',
  issueDate: '2026-12-08',
  validUntil: '2027-03-07',
  issuerName: { ja: 'デモ大学', en: 'Demo University' },
};
const CREDENTIAL = 'eyJhbGciOiJFZERTQSJ9.eyJ0eXBlIjpbXX0.c2ln';

async function open(language: 'ja' | 'en', answer: (body: unknown) => { status?: number; body?: unknown }) {
  const service = fakeService({ 'POST /api/verify/credential': answer });
  const { wrapper } = await mountIn(CredentialCheck, { language, props: { issuer: language === 'ja' ? 'デモ大学' : 'Demo University' } });
  return { wrapper, service };
}

describe('デジタル証明書で確認 on /verify', () => {
  it('sends the pasted credential trimmed and shows a valid one with what it states', async () => {
    const { wrapper, service } = await open('ja', () => ({ body: { status: 'valid', facts: FACTS } }));
    await wrapper.get('[data-testid="credential-text"]').setValue(`  ${CREDENTIAL}\n`);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(service.calls.find((c) => c.path === '/api/verify/credential')?.body).toEqual({ credential: CREDENTIAL });
    expect(textOf(wrapper.get('[data-testid="credential-status"]').element)).toBe('有効');
    expect(textOf(wrapper.get('[data-testid="credential-status-body"]').element)).toContain('デモ大学が発行した有効な証明書です');
    expect(textOf(wrapper.get('[data-testid="credential-type"]').element)).toBe('学割証');
    expect(textOf(wrapper.get('[data-testid="credential-holder"]').element)).toBe('山田 太郎');
    expect(document.activeElement).toBe(wrapper.get('[data-testid="credential-result"]').element);
  });

  it('says a changed credential has a signature that does not match, and shows none of its contents', async () => {
    const { wrapper } = await open('en', () => ({ body: { status: 'invalidSignature' } }));
    await wrapper.get('[data-testid="credential-text"]').setValue(CREDENTIAL);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(textOf(wrapper.get('[data-testid="credential-status"]').element)).toBe('The signature does not match');
    expect(wrapper.find('[data-testid="credential-number"]').exists()).toBe(false);
  });

  it('explains garbage at the field, keeping what was typed, and asks for something when the field is empty', async () => {
    const { wrapper, service } = await open('ja', () => failure(400, 'validation.failed', { credential: 'credential.malformed' }));
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(textOf(wrapper.get('[data-testid="credential-error"]').element)).toBe('デジタル証明書を貼り付けるか、ファイルを選んでください。');
    expect(service.calls.filter((c) => c.path === '/api/verify/credential')).toHaveLength(0);

    await wrapper.get('[data-testid="credential-text"]').setValue('hello');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(textOf(wrapper.get('[data-testid="credential-error"]').element)).toContain('デジタル証明書の形式ではありません');
    expect((wrapper.get('[data-testid="credential-text"]').element as HTMLTextAreaElement).value).toBe('hello');
    expect(wrapper.get('[data-testid="credential-text"]').attributes('aria-invalid')).toBe('true');
  });

  it('checks a chosen file at once, and refuses one over 64 KB without sending it', async () => {
    const { wrapper, service } = await open('en', () => ({ body: { status: 'revoked', facts: FACTS } }));
    const input = wrapper.get('[data-testid="credential-file"]');
    const choose = async (file: File) => {
      Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
      await input.trigger('change');
      await flushPromises();
    };
    await choose(new File(['x'.repeat(64 * 1024 + 1)], 'big.jwt'));
    expect(textOf(wrapper.get('[data-testid="credential-error"]').element)).toBe('The file is too large. Please choose a file of up to 64 KB.');
    expect(service.calls.filter((c) => c.path === '/api/verify/credential')).toHaveLength(0);

    await choose(new File([`${CREDENTIAL}\n`], 'SHM-2026-4SBX-NMV8.jwt', { type: 'application/vc+jwt' }));
    expect(service.calls.find((c) => c.path === '/api/verify/credential')?.body).toEqual({ credential: CREDENTIAL });
    expect(textOf(wrapper.get('[data-testid="credential-status"]').element)).toBe('Revoked');
    expect(textOf(wrapper.get('[data-testid="credential-number"]').element)).toBe(FACTS.number);
  });
});
