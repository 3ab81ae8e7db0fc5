import { computed, nextTick, ref, watch, type Ref } from 'vue';
import { ApiFailure } from '../api/client';

/**
 * The error handling shared by the small forms (mail address, graduate sign-in): the checks run
 * on submit and, after the first attempt, follow the typing; the first field in error (or else
 * the message box) gets the focus.
 */
export function useCheckedForm<F extends string, V>(options: {
  values: Ref<V>;
  /** The fields in screen order, for the focus. */
  fields: () => readonly F[];
  /** Field → error code (`required`, `mail.invalid`, …). */
  check: (values: V) => Partial<Record<F, string>>;
  /** Whether the errors block sending; by default, any entry. */
  hasErrors?: (errors: Partial<Record<F, string>>) => boolean;
}) {
  const { values, fields, check } = options;
  const errors = ref({}) as Ref<Partial<Record<F, string>>>;
  const failure = ref<ApiFailure | null>(null);
  const submitted = ref(false);
  const sending = ref(false);
  const inputs = ref({}) as Ref<Partial<Record<F, HTMLInputElement | null>>>;
  const alertBox = ref<HTMLElement | null>(null);
  const hasErrors = computed(() => (options.hasErrors ? options.hasErrors(errors.value) : Object.keys(errors.value).length > 0));

  // After the first attempt, messages follow the typing (and go away once fixed).
  watch(
    values,
    (now) => {
      if (!submitted.value) return;
      errors.value = check(now);
      if (!hasErrors.value && failure.value?.code === 'validation.failed') failure.value = null;
    },
    { deep: true },
  );

  async function focusProblem() {
    await nextTick();
    const field = fields().find((f) => errors.value[f]);
    if (field) inputs.value[field]?.focus();
    else alertBox.value?.focus();
  }

  /** The checks of a submit; false (with the errors shown and focused) when it must not be sent. */
  async function checkBeforeSend(): Promise<boolean> {
    submitted.value = true;
    failure.value = null;
    errors.value = check(values.value);
    if (hasErrors.value) {
      failure.value = new ApiFailure('validation.failed');
      await focusProblem();
      return false;
    }
    return true;
  }

  return { errors, failure, submitted, sending, inputs, alertBox, hasErrors, focusProblem, checkBeforeSend };
}
