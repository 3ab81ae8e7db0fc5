import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import { useRouter, type LocationQueryRaw } from 'vue-router';
import type { ApiFailure } from '../../api/client';
import { useAdminFailure } from './useAdminFailure';

/**
 * A console list whose filters and offset live in the URL (so reload and Back keep them): loads
 * whenever the query changes, navigates to new filters / pages, and says which rows are shown.
 */
export function useAdminList<Q extends { offset: number }, R extends { offset: number; total: number; items: unknown[] }>(options: {
  /** The route path of the list. */
  path: string;
  pageSize: number;
  /** The filters as read from the URL. */
  current: Readonly<Ref<Q>>;
  fetch: (query: Q) => Promise<R>;
  /** Called with the filters before each load (e.g. to refill the filter form). */
  onLoad?: (query: Q) => void;
}) {
  const { asFailure, sessionLost } = useAdminFailure();
  const router = useRouter();
  const { current, pageSize } = options;

  const data = shallowRef<R | null>(null);
  const failure = ref<ApiFailure | null>(null);
  const loading = ref(false);

  async function load() {
    const q = current.value;
    options.onLoad?.(q);
    loading.value = true;
    failure.value = null;
    try {
      data.value = await options.fetch(q);
    } catch (e) {
      const f = asFailure(e);
      if (!(await sessionLost(f))) failure.value = f;
    } finally {
      loading.value = false;
    }
  }

  watch(current, load, { immediate: true });

  /** Goes to the list with these filters; empty values and offset 0 stay out of the URL. */
  function go(query: LocationQueryRaw) {
    const clean: LocationQueryRaw = {};
    for (const [k, v] of Object.entries(query)) if (v !== '' && v !== undefined && v !== 0) clean[k] = v;
    void router.push({ path: options.path, query: clean });
  }
  const reset = () => go({});
  /** One page back (-1) or on (+1), keeping the filters. */
  const turn = (delta: number) => go({ ...current.value, offset: Math.max(0, current.value.offset + delta * pageSize) });

  const range = computed(() => {
    const d = data.value;
    if (!d || d.total === 0) return null;
    return { from: d.offset + 1, to: d.offset + d.items.length, total: d.total };
  });

  return { data, failure, loading, go, reset, turn, range };
}
