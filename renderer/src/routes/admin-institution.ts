import type { RouteRecordRaw } from 'vue-router';
import { requireStaff } from './admin-guard';

/** 大学情報 / Institution: every staff user reads it; the page offers changes to administrators only. */
const routes: RouteRecordRaw[] = [
  {
    path: '/admin/institution',
    name: 'admin-institution',
    component: () => import('../pages/admin/institution/AdminInstitutionPage.vue'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
];

export default routes;
