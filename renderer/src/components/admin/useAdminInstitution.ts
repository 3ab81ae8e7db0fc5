import { ref } from 'vue';
import type { AdminInstitution } from '@contract/institution';
import { getInstitution } from '../../api/admin-institution';
import type { ApiFailure } from '../../api/client';
import { useAdminFailure } from './useAdminFailure';

/** 大学情報 with its setup checklist, loaded once for a console screen (a lost staff session goes back to the login). */
export function useAdminInstitution() {
  const { asFailure, sessionLost } = useAdminFailure();
  const institution = ref<AdminInstitution | null>(null);
  const failure = ref<ApiFailure | null>(null);
  void (async () => {
    try {
      institution.value = await getInstitution();
    } catch (e) {
      const f = asFailure(e);
      if (!(await sessionLost(f))) failure.value = f;
    }
  })();
  return { institution, failure };
}
