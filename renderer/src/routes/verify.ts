import type { RouteRecordRaw } from 'vue-router';
import VerifyPage from '../pages/verify/VerifyPage.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** The screen works with no network: the route guard does not wait for GET /api/session. */
    offline?: boolean;
  }
}

/** /verify: public verification (number + code online; the QR's `#c=` payload offline). */
const routes: RouteRecordRaw[] = [{ path: '/verify', name: 'verify', component: VerifyPage, meta: { access: 'public', offline: true, whileClosed: true } }];

export default routes;
