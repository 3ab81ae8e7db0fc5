import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { StaffIdentity, StaffSessionInfo } from '@contract/admin';
import { getStaffSession, postStaffLogin, postStaffLogout } from '../api/admin';

/** How long the loaded staff session is trusted by the route guard before it is asked again. */
const MAX_AGE_MS = 30_000;

/** The staff console's session: separate from the student session (own cookie, own CSRF token). */
export const useStaffStore = defineStore('staff', () => {
  /** GET /api/admin/session: CSRF token, signed-in staff user, demo flag. */
  const info = ref<StaffSessionInfo | null>(null);
  /** When `info` was last fetched. */
  const loadedAt = ref(0);

  const staff = computed<StaffIdentity | null>(() => info.value?.staff ?? null);
  const isAdministrator = computed(() => staff.value?.role === 'administrator');
  const demo = computed(() => info.value?.demo ?? false);

  async function load(): Promise<StaffSessionInfo> {
    info.value = await getStaffSession();
    loadedAt.value = Date.now();
    return info.value;
  }

  /** The session for a route guard: the cached one while fresh, else fetched. */
  async function ensure(): Promise<StaffSessionInfo> {
    if (info.value && Date.now() - loadedAt.value < MAX_AGE_MS) return info.value;
    return load();
  }

  async function login(username: string, password: string): Promise<StaffIdentity | null> {
    info.value = await postStaffLogin({ username, password });
    loadedAt.value = Date.now();
    return info.value.staff;
  }

  async function logout(): Promise<void> {
    try {
      await postStaffLogout();
    } finally {
      info.value = null;
      loadedAt.value = 0;
    }
  }

  /** After a 401 from the API: forget the staff user so the guard sends the browser to the login page. */
  function forget(): void {
    info.value = null;
    loadedAt.value = 0;
  }

  return { info, staff, isAdministrator, demo, load, ensure, login, logout, forget };
});
