import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { h } from 'vue';
import FormField from '../../renderer/src/components/FormField.vue';
import { textOf } from './support';

type Control = { id: string; 'aria-invalid': string; 'aria-describedby'?: string };

function field(props: Record<string, unknown>) {
  return mount(FormField, {
    props: { id: 'mail', label: 'メールアドレス', ...props },
    slots: { default: ({ control }: { control: Control }) => h('input', { ...control, 'data-testid': 'control' }) },
    attachTo: document.body,
  });
}

describe('FormField', () => {
  it('labels the control, with its marker, and describes it by its hint', () => {
    const wrapper = field({ hint: '半角英数字で入力してください。', marker: '必須', markerClass: 'app-required' });
    const input = wrapper.get('[data-testid="control"]');
    const label = wrapper.get('label');
    expect(label.attributes('for')).toBe('mail');
    expect(input.attributes('id')).toBe('mail');
    expect(textOf(label.element)).toBe('メールアドレス 必須');
    expect(label.get('span').classes()).toContain('app-required');
    expect(input.attributes('aria-invalid')).toBe('false');
    expect(input.attributes('aria-describedby')).toBe('mail-hint');
    expect(textOf(document.getElementById('mail-hint'))).toBe('半角英数字で入力してください。');
    expect(wrapper.find('.field__error').exists()).toBe(false);
    expect(wrapper.classes()).not.toContain('field--invalid');
  });

  it('shows the error next to the control, marks the control invalid and reads the error after the hints', () => {
    const wrapper = field({
      hint: 'ヒント',
      hintId: 'mail-example',
      describedBy: ['group-hint', ''],
      error: '入力してください。',
      errorTestid: 'field-error-mail',
    });
    const input = wrapper.get('[data-testid="control"]');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(input.attributes('aria-describedby')).toBe('group-hint mail-example mail-error');
    const error = wrapper.get('[data-testid="field-error-mail"]');
    expect(error.attributes('id')).toBe('mail-error');
    expect(textOf(error.element)).toBe('入力してください。');
    expect(wrapper.classes()).toContain('field--invalid');
  });

  it('leaves aria-describedby out when nothing describes the control', () => {
    const input = field({ error: null }).get('[data-testid="control"]');
    expect(input.attributes('aria-describedby')).toBeUndefined();
    expect(input.attributes('aria-invalid')).toBe('false');
  });
});
