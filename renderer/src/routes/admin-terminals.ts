import type { RouteRecordRaw } from 'vue-router';
import { requireStaff } from './admin-guard';

/** 端末 / Terminals: every staff user reads the list; the page offers changes to administrators only. */
const routes: RouteRecordRaw[] = [
  {
    path: '/admin/terminals',
    name: 'admin-terminals',
    component: () => import('../pages/admin/terminals/AdminTerminalsPage.vue'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
];

export default routes;
