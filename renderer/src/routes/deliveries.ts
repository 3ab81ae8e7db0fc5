import type { RouteRecordRaw } from 'vue-router';
import { takeLinkToken } from '../linkToken';

/** PDF送付: the recipient's download page, opened from their mail (`/delivery#token=…`; no account). */
const routes: RouteRecordRaw[] = [
  {
    path: '/delivery',
    name: 'delivery',
    component: () => import('../pages/deliveries/DeliveryPage.vue'),
    meta: { access: 'public', whileClosed: true },
    beforeEnter: takeLinkToken,
  },
];

export default routes;
