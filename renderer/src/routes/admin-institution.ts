import type { RouteRecordRaw } from 'vue-router';
import { consolePage, requireStaff } from './admin-guard';

/** 大学情報 / Institution: every staff user reads it; the page offers changes to administrators only. */
const routes: RouteRecordRaw[] = [
  {
    path: '/admin/institution',
    name: 'admin-institution',
    component: consolePage('AdminInstitutionPage'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
];

export default routes;
