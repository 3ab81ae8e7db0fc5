import { useI18n } from 'vue-i18n';
import { useRoute, useRouter } from 'vue-router';
import { ApiFailure, isApiFailure } from '../../api/client';
import { errorKey, fieldErrorKey } from '../../errors';
import { useStaffStore } from '../../stores/staff';

/** Failures on console screens: translated text with its parameters; a lost staff session goes back to the login page. */
export function useAdminFailure() {
  const { t } = useI18n();
  const router = useRouter();
  const route = useRoute();
  const staff = useStaffStore();

  const asFailure = (e: unknown): ApiFailure => (isApiFailure(e) ? e : new ApiFailure('generic'));

  function failureText(failure: Pick<ApiFailure, 'code' | 'params'>): string {
    return t(errorKey(failure.code), failure.params);
  }

  const fieldText = (code: string): string => t(fieldErrorKey(code));

  /** True (and on the way to the login page) when the staff session has ended. */
  async function sessionLost(failure: ApiFailure): Promise<boolean> {
    if (failure.status !== 401) return false;
    staff.forget();
    await router.replace({ path: '/admin/login', query: { returnTo: route.fullPath, error: 'auth.sessionExpired' } });
    return true;
  }

  return { asFailure, failureText, fieldText, sessionLost };
}
