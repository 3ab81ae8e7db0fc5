import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Language, Me, SessionInfo } from '@contract/api';
import { getMe, getSession, isApiFailure, postLogout, putLanguage } from '../api/client';
import { applyLanguage } from '../i18n';

/** How long a loaded account is trusted by the route guards before it is fetched again. */
const ME_MAX_AGE_MS = 60_000;

export const useSessionStore = defineStore('session', () => {
  /** GET /api/session: CSRF token, kiosk/demo flags, idle timeout. */
  const info = ref<SessionInfo | null>(null);
  /** The signed-in account; null when nobody is signed in or it was not loaded yet. */
  const me = ref<Me | null>(null);
  /** When `me` was last fetched (0: never, or invalidated). */
  const meLoadedAt = ref(0);
  /** The language shown now; starts from the session, changed by the LANG pull-down. */
  const language = ref<Language>('ja');

  const signedIn = computed(() => me.value !== null || (info.value?.signedIn ?? false));
  const demo = computed(() => info.value?.demo ?? false);
  const devMailbox = computed(() => info.value?.devMailbox ?? false);
  const kiosk = computed(() => info.value?.kiosk ?? false);
  /** The university (大学情報); null until an administrator has entered it. */
  const institution = computed(() => info.value?.institution ?? null);
  /** False until setup is complete: student screens show "not open yet". */
  const open = computed(() => info.value?.open ?? true);

  let sessionLoading: Promise<SessionInfo> | null = null;

  /** Loads the session once per page load (again after a failed attempt). */
  function ensureSession(): Promise<SessionInfo> {
    sessionLoading ??= getSession().then(
      async (loaded) => {
        await applyLanguage(loaded.language);
        info.value = loaded;
        language.value = loaded.language;
        return loaded;
      },
      (e: unknown) => {
        sessionLoading = null; // let the next navigation try again
        throw e;
      },
    );
    return sessionLoading;
  }

  /**
   * The signed-in account, or null on 401. Other failures propagate.
   * Returns the failure code of the 401 too, so the login screen can say "session expired".
   */
  async function loadMe(): Promise<{ me: Me | null; code?: string }> {
    try {
      me.value = await getMe();
      meLoadedAt.value = Date.now();
      if (info.value) info.value.signedIn = true;
      return { me: me.value };
    } catch (e) {
      if (isApiFailure(e) && e.status === 401) {
        me.value = null;
        meLoadedAt.value = 0;
        if (info.value) info.value.signedIn = false;
        return { me: null, code: e.code };
      }
      throw e;
    }
  }

  /** The account for a route guard: the cached one while fresh, else fetched. */
  async function ensureMe(): Promise<{ me: Me | null; code?: string }> {
    if (me.value && Date.now() - meLoadedAt.value < ME_MAX_AGE_MS) return { me: me.value };
    return loadMe();
  }

  /** After something changed the account on the server (mail registered or changed). */
  function invalidateMe(): void {
    meLoadedAt.value = 0;
  }

  /** Switches the UI at once, then tells the service (cookie, and the account when signed in). */
  async function setLanguage(next: Language): Promise<void> {
    await applyLanguage(next);
    language.value = next;
    await putLanguage(next);
    if (me.value) me.value.language = next;
    if (info.value) {
      info.value.language = next;
      info.value.languageChosen = true;
    }
  }

  /** Ends the session; returns where the browser must go (login screen or the IdP's logout). */
  async function logout(): Promise<string> {
    const { redirect } = await postLogout();
    me.value = null;
    meLoadedAt.value = 0;
    if (info.value) info.value.signedIn = false;
    return redirect;
  }

  return {
    info,
    me,
    language,
    signedIn,
    demo,
    devMailbox,
    kiosk,
    institution,
    open,
    ensureSession,
    loadMe,
    ensureMe,
    invalidateMe,
    setLanguage,
    logout,
  };
});
