import type { RouteRecordRaw } from 'vue-router';
import { consolePage, requireStaff } from './admin-guard';

/** メール送信状況 / Mail delivery: every staff user reads the list; administrators send a mail again. */
const routes: RouteRecordRaw[] = [
  {
    path: '/admin/mail',
    name: 'admin-mail',
    component: consolePage('AdminMailPage'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
];

export default routes;
