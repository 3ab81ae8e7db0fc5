import type { RouteRecordRaw } from 'vue-router';

/** 証明書を発行: the issue flow and the placed order. */
const routes: RouteRecordRaw[] = [
  { path: '/certificates/new', name: 'certificate-issue', component: () => import('../pages/certificates/IssueCertificatePage.vue'), meta: { access: 'mail' } },
  {
    path: '/certificates/orders/:id',
    name: 'certificate-order',
    component: () => import('../pages/certificates/CertificateOrderPage.vue'),
    meta: { access: 'mail' },
  },
];

export default routes;
