import { useRoute, useRouter } from 'vue-router';
import { ApiFailure, isApiFailure } from '../../api/client';
import { useStaffStore } from '../../stores/staff';

/** Failures on console screens: anything thrown as an `ApiFailure`; a lost staff session goes back to the login page. */
export function useAdminFailure() {
  const router = useRouter();
  const route = useRoute();
  const staff = useStaffStore();

  const asFailure = (e: unknown): ApiFailure => (isApiFailure(e) ? e : new ApiFailure('generic'));

  /** True (and on the way to the login page) when the staff session has ended. */
  async function sessionLost(failure: ApiFailure): Promise<boolean> {
    if (failure.status !== 401) return false;
    staff.forget();
    await router.replace({ path: '/admin/login', query: { returnTo: route.fullPath, error: 'auth.sessionExpired' } });
    return true;
  }

  return { asFailure, sessionLost };
}
