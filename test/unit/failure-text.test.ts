// @vitest-environment happy-dom
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent } from 'vue';
import { createI18n } from 'vue-i18n';
import { useFailureText, type FailureTextOptions } from '../../renderer/src/composables/useFailureText.js';
import { mergeMessages, type Messages } from '../../renderer/src/locales/merge.js';

// Paths, not URLs: happy-dom replaces the URL class.
const localesDir = path.resolve(import.meta.dirname, '../../renderer/src/locales');
const readJson = (file: string): Messages => JSON.parse(readFileSync(path.join(localesDir, file), 'utf8'));
function load(language: 'ja' | 'en'): Messages {
  const features: Record<string, Messages> = {};
  for (const entry of readdirSync(localesDir)) {
    if (statSync(path.join(localesDir, entry)).isDirectory()) features[entry] = readJson(`${entry}/${language}.json`);
  }
  return mergeMessages(readJson(`${language}.json`), features);
}

/** The composable as a screen uses it, in English. */
function texts(options?: FailureTextOptions) {
  const messages = { ja: load('ja'), en: load('en') } as unknown as Record<string, Record<string, string>>;
  const i18n = createI18n({ legacy: false, locale: 'en', messages, missingWarn: false, fallbackWarn: false });
  let result: ReturnType<typeof useFailureText> | undefined;
  mount(
    defineComponent({
      setup() {
        result = useFailureText(options);
        return () => null;
      },
    }),
    { global: { plugins: [i18n] } },
  );
  return result!;
}

describe('an API failure or a field code as text', () => {
  it('fills in the values the service sent, rounds the seconds of a mail wait, and never shows an unknown code', () => {
    const { failureText } = texts();
    expect(failureText({ code: 'staff.loginThrottled', params: { seconds: 42 } })).toBe('Several logins have failed. Please try again in 42 seconds.');
    expect(failureText({ code: 'mail.rateLimited', params: { seconds: 12.2 } })).toContain('13 seconds');
    expect(failureText({ code: 'mail.rateLimited', params: {} })).not.toMatch(/\{|seconds\./);
    expect(failureText({ code: '<b>raw server text</b>', params: {} })).toBe(texts().failureText({ code: 'generic', params: {} }));
  });

  it("prefers the screen's own field text, then the shared one, then its fallback for an unknown dotted code", () => {
    const graduates = texts({ fieldKey: (code) => `graduates.fieldErrors.${code}` });
    expect(graduates.fieldText('password.tooShort')).not.toBe(texts().fieldText('password.tooShort'));
    expect(graduates.fieldText('required')).toBe(texts().fieldText('required'));
    expect(graduates.fieldText('mail.invalid')).toBe(texts().failureText({ code: 'mail.invalid', params: {} }));

    const order = texts({ fieldKey: (code) => `certificates.fieldErrors.${code}`, unknownFieldKey: 'certificates.fieldErrors.invalid' });
    expect(order.fieldText('order.copiesOverTypeLimit', { limit: 5 })).toBe('Up to 5 copies of this certificate can be issued per request.');
    expect(order.fieldText('address.somethingNew')).toBe(order.fieldText('invalid'));
    expect(order.fieldText('nonsense')).toBe(texts().failureText({ code: 'generic', params: {} }));
  });
});
