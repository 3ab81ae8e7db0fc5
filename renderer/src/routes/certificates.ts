import type { RouteRecordRaw } from 'vue-router';
import CertificateOrderPage from '../pages/certificates/CertificateOrderPage.vue';
import IssueCertificatePage from '../pages/certificates/IssueCertificatePage.vue';

/** 証明書を発行: the issue flow and the placed order. */
const routes: RouteRecordRaw[] = [
  { path: '/certificates/new', name: 'certificate-issue', component: IssueCertificatePage, meta: { access: 'mail' } },
  { path: '/certificates/orders/:id', name: 'certificate-order', component: CertificateOrderPage, meta: { access: 'mail' } },
];

export default routes;
