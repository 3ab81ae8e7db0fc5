import type { RouteRecordRaw } from 'vue-router';
import { consolePage, requireStaff } from './admin-guard';

/** 端末 / Terminals: every staff user reads the list; the page offers changes to administrators only. */
const routes: RouteRecordRaw[] = [
  {
    path: '/admin/terminals',
    name: 'admin-terminals',
    component: consolePage('AdminTerminalsPage'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
];

export default routes;
