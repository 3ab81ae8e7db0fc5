import { useI18n } from 'vue-i18n';
import type { ApiFailure } from '../../api/client';
import { useFailureText } from '../../composables/useFailureText';
import { errorKey } from '../../errors';

/** Failures with values in their message (seconds to wait, minutes of a pause). */
const WITH_PARAMS = new Set(['graduate.tooManyAttempts', 'graduate.locked']);

/** Text for graduate access: failures (with their values) and field codes, never a raw code. */
export function useGraduateText() {
  const { t, te } = useI18n();
  const { failureText, fieldText } = useFailureText();

  function failure(f: Pick<ApiFailure, 'code' | 'params'>): string {
    if (WITH_PARAMS.has(f.code)) {
      const params = Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, String(v)]));
      if (Object.keys(params).length > 0) return t(errorKey(f.code), params);
    }
    return failureText(f);
  }

  /** A field's code: the secrets' own codes here, the shared ones (`required`, `mail.invalid`, …) from the core texts. */
  function field(code: string): string {
    const key = `graduates.fieldErrors.${code}`;
    return te(key) ? t(key) : fieldText(code);
  }

  return { failure, field };
}
