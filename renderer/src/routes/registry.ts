import type { RouteRecordRaw } from 'vue-router';
import { consolePage, requireStaff } from './admin-guard';

/** 名簿取込 / Registry import in the staff console (administrators only). */
const routes: RouteRecordRaw[] = [
  {
    path: '/admin/registry',
    name: 'admin-registry',
    component: consolePage('RegistryImportPage'),
    meta: { access: 'staff', staffRole: 'administrator' },
    beforeEnter: requireStaff,
  },
];

export default routes;
