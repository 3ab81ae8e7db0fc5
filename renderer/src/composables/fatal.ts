import { ref } from 'vue';

/**
 * Set when something failed that no screen handles (a render error, a failed first navigation).
 * App.vue then shows a translated error screen instead of a blank or broken one.
 */
export const fatalError = ref(false);

export function reportFatal(error: unknown): void {
  fatalError.value = true;
  console.error(error);
}
