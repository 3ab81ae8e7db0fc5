import { useI18n } from 'vue-i18n';
import { errorKey, fieldErrorKey } from '../errors';
import type { ApiFailure } from '../api/client';

/** Turns an `ApiFailure` (or a field code) into text in the current language; never raw server text. */
export function useFailureText() {
  const { t } = useI18n();

  function failureText(failure: Pick<ApiFailure, 'code' | 'params'>): string {
    if (failure.code === 'mail.rateLimited') {
      const seconds = Number(failure.params.seconds);
      return Number.isFinite(seconds) && seconds > 0
        ? t('errors.mail.rateLimited', { seconds: Math.ceil(seconds) })
        : t('errors.mail.rateLimitedSoon');
    }
    return t(errorKey(failure.code));
  }

  function fieldText(code: string): string {
    return t(fieldErrorKey(code));
  }

  return { failureText, fieldText };
}
