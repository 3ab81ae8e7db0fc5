import { nextTick, ref, type Ref } from 'vue';
import type { ApiFailure } from '../../api/client';
import { useFailureText } from '../../composables/useFailureText';
import { useAdminFailure } from './useAdminFailure';

export interface ConsoleNotice {
  variant: 'success' | 'error';
  text: string;
}

/**
 * A console screen that shows one loaded thing and announces what its actions did: `load()`
 * (a load failure is shown in place of the data; a lost session goes to the login page), and
 * `announce()`/`failed()`, which put the message where the focus goes, for screen readers.
 */
export function useConsoleResource<T>(fetch: () => Promise<T>) {
  const failures = { ...useAdminFailure(), ...useFailureText() };
  const { asFailure, failureText, sessionLost } = failures;
  const data = ref(null) as Ref<T | null>;
  const loadFailure = ref<ApiFailure | null>(null);
  const notice = ref<ConsoleNotice | null>(null);
  const noticeBox = ref<HTMLElement | null>(null);

  async function load() {
    loadFailure.value = null;
    try {
      data.value = await fetch();
    } catch (e) {
      const f = asFailure(e);
      if (!(await sessionLost(f))) loadFailure.value = f;
    }
  }

  async function announce(variant: ConsoleNotice['variant'], text: string) {
    notice.value = { variant, text };
    await nextTick();
    noticeBox.value?.focus();
  }

  /** An action's failure, announced; a lost session goes to the login page instead. */
  async function failed(e: unknown) {
    const f = asFailure(e);
    if (!(await sessionLost(f))) await announce('error', failureText(f));
  }

  return { ...failures, data, loadFailure, notice, noticeBox, load, announce, failed };
}
