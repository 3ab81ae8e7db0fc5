import type { RouteRecordRaw } from 'vue-router';
import { useStaffStore } from '../stores/staff';
import { requireStaff } from './admin-guard';

/** The staff console (/admin): its own sign-in; every screen guards itself with `requireStaff`. */
const routes: RouteRecordRaw[] = [
  {
    path: '/admin/login',
    name: 'admin-login',
    component: () => import('../pages/admin/AdminLoginPage.vue'),
    meta: { access: 'staff' },
    // Signed in already: straight to the console.
    beforeEnter: async () => ((await useStaffStore().ensure()).staff ? { path: '/admin' } : true),
  },
  {
    path: '/admin',
    name: 'admin-queue',
    component: () => import('../pages/admin/AdminQueuePage.vue'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
  {
    path: '/admin/applications/:id',
    name: 'admin-application',
    component: () => import('../pages/admin/AdminApplicationPage.vue'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
  {
    path: '/admin/audit',
    name: 'admin-audit',
    component: () => import('../pages/admin/AdminAuditPage.vue'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
  {
    path: '/admin/staff',
    name: 'admin-staff',
    component: () => import('../pages/admin/AdminStaffPage.vue'),
    meta: { access: 'staff', staffRole: 'administrator' },
    beforeEnter: requireStaff,
  },
];

export default routes;
