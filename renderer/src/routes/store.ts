import type { RouteRecordRaw } from 'vue-router';

/** /store: the simulator of a convenience store's multifunction printer (public, like the store). */
const routes: RouteRecordRaw[] = [
  { path: '/store', name: 'store', component: () => import('../pages/store/StorePage.vue'), meta: { access: 'public', whileClosed: true } },
];

export default routes;
