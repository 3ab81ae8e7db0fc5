import type { RouteRecordRaw } from 'vue-router';
import { useStaffStore } from '../stores/staff';
import { consolePage, requireStaff } from './admin-guard';

/** The staff console (/admin): its own sign-in; every screen guards itself with `requireStaff`. */
const routes: RouteRecordRaw[] = [
  {
    path: '/admin/login',
    name: 'admin-login',
    component: consolePage('AdminLoginPage'),
    meta: { access: 'staff' },
    // Signed in already: straight to the console.
    beforeEnter: async () => ((await useStaffStore().ensure()).staff ? { path: '/admin' } : true),
  },
  {
    path: '/admin',
    name: 'admin-queue',
    component: consolePage('AdminQueuePage'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
  {
    path: '/admin/applications/:id',
    name: 'admin-application',
    component: consolePage('AdminApplicationPage'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
  {
    path: '/admin/audit',
    name: 'admin-audit',
    component: consolePage('AdminAuditPage'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
  {
    path: '/admin/staff',
    name: 'admin-staff',
    component: consolePage('AdminStaffPage'),
    meta: { access: 'staff', staffRole: 'administrator' },
    beforeEnter: requireStaff,
  },
];

export default routes;
