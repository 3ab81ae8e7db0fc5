import type { RouteRecordRaw } from 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** The screen works with no network: the route guard does not wait for GET /api/session. */
    offline?: boolean;
  }
}

/** /verify: public verification (number + code online; the QR's `#c=` payload offline). */
const routes: RouteRecordRaw[] = [
  { path: '/verify', name: 'verify', component: () => import('../pages/verify/VerifyPage.vue'), meta: { access: 'public', offline: true, whileClosed: true } },
];

export default routes;
