import type { RouteRecordRaw } from 'vue-router';
import { consolePage, requireStaff } from './admin-guard';

/** Staff console: issued certificates, mail orders, certificate types. */
const routes: RouteRecordRaw[] = [
  {
    path: '/admin/certificates',
    name: 'admin-certificates',
    component: consolePage('AdminCertificatesPage'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
  {
    path: '/admin/certificates/:number',
    name: 'admin-certificate',
    component: consolePage('AdminCertificatePage'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
  {
    path: '/admin/mail-orders',
    name: 'admin-mail-orders',
    component: consolePage('AdminMailOrdersPage'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
  {
    path: '/admin/certificate-types',
    name: 'admin-certificate-types',
    component: consolePage('AdminCertificateTypesPage'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
];

export default routes;
