import type { RouteRecordRaw } from 'vue-router';
import { requireStaff } from './admin-guard';

/** Staff console: issued certificates, mail orders, certificate types. */
const routes: RouteRecordRaw[] = [
  {
    path: '/admin/certificates',
    name: 'admin-certificates',
    component: () => import('../pages/admin/certificates/AdminCertificatesPage.vue'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
  {
    path: '/admin/certificates/:number',
    name: 'admin-certificate',
    component: () => import('../pages/admin/certificates/AdminCertificatePage.vue'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
  {
    path: '/admin/mail-orders',
    name: 'admin-mail-orders',
    component: () => import('../pages/admin/certificates/AdminMailOrdersPage.vue'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
  {
    path: '/admin/certificate-types',
    name: 'admin-certificate-types',
    component: () => import('../pages/admin/certificates/AdminCertificateTypesPage.vue'),
    meta: { access: 'staff' },
    beforeEnter: requireStaff,
  },
];

export default routes;
