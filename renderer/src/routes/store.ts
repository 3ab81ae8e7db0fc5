import type { RouteRecordRaw } from 'vue-router';
import StorePage from '../pages/store/StorePage.vue';

/** /store: the simulator of a convenience store's multifunction printer (public, like the store). */
const routes: RouteRecordRaw[] = [{ path: '/store', name: 'store', component: StorePage, meta: { access: 'public', whileClosed: true } }];

export default routes;
