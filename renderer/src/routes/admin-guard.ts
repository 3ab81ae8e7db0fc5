import type { NavigationGuard, RouteLocationNormalized, RouteRecordRaw } from 'vue-router';
import type { StaffRole } from '@contract/admin';
import { useStaffStore } from '../stores/staff';

declare module 'vue-router' {
  interface RouteMeta {
    /** Staff console screens: the role they need (default: any signed-in staff user). */
    staffRole?: StaffRole;
  }
}

/** Where the staff login page sends the browser after signing in: only console paths. */
export function safeAdminReturn(value: unknown): string {
  return typeof value === 'string' && /^\/admin(\/[A-Za-z0-9/_-]*)?(\?[A-Za-z0-9=&%._-]*)?$/.test(value) && value !== '/admin/login' ? value : '/admin';
}

/**
 * `beforeEnter` of every staff console screen: a signed-in staff user (else the staff login page,
 * coming back afterwards), with the role the screen asks for in `meta.staffRole` (else the
 * console's start page, which says why).
 */
export const requireStaff: NavigationGuard = async (to: RouteLocationNormalized) => {
  const staff = useStaffStore();
  const info = await staff.ensure();
  if (!info.staff) return { path: '/admin/login', query: { returnTo: to.fullPath } };
  if (to.meta.staffRole === 'administrator' && info.staff.role !== 'administrator') {
    return { path: '/admin', query: { error: 'auth.forbidden' } };
  }
  return true;
};

/** A console screen, loaded with the whole console (one chunk, its texts included). */
export const consolePage = (name: keyof typeof import('../pages/admin/console')) => () => import('../pages/admin/console').then((screens) => screens[name]);

/** This module only guards; the console's screens are in `routes/admin.ts`. (Every routes/*.ts is read for a default export.) */
const noRoutes: RouteRecordRaw[] = [];
export default noRoutes;
