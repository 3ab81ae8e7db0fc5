import { useI18n } from 'vue-i18n';
import { errorKey, fieldErrorKey } from '../errors.js';

/** What of an `ApiFailure` (or a code from the URL) becomes text. */
interface Failure {
  code: string;
  params: Record<string, string | number>;
}

export interface FailureTextOptions {
  /** This screen's own key for a field's error code (e.g. `graduates.fieldErrors.<code>`); used when it has a text. */
  fieldKey?: (code: string) => string | undefined;
  /** The text for a dotted field code that neither the screen nor the error list knows, instead of the generic one. */
  unknownFieldKey?: string;
}

/**
 * The one way an API failure or a field's error code becomes text in the current language, with
 * the values the service sent (seconds to wait, a limit); never raw server text.
 */
export function useFailureText(options: FailureTextOptions = {}) {
  const { t, te } = useI18n();

  function failureText(failure: Failure): string {
    if (failure.code === 'mail.rateLimited') {
      const seconds = Number(failure.params.seconds);
      return Number.isFinite(seconds) && seconds > 0 ? t('errors.mail.rateLimited', { seconds: Math.ceil(seconds) }) : t('errors.mail.rateLimitedSoon');
    }
    return t(errorKey(failure.code), failure.params);
  }

  function fieldText(code: string, params: Record<string, string | number> = {}): string {
    const own = options.fieldKey?.(code);
    if (own && te(own)) return t(own, params);
    const key = fieldErrorKey(code);
    if (key === 'errors.generic' && options.unknownFieldKey && code.includes('.')) return t(options.unknownFieldKey);
    return t(key, params);
  }

  return { failureText, fieldText };
}
