import type { RouteLocationNormalized, RouteRecordRaw } from 'vue-router';
import { takeTokenFromHash } from '../confirmToken';

/** The token of a mailed link leaves the address bar (replaceState) before anything is shown or fetched. */
const takeToken = (to: RouteLocationNormalized) =>
  to.hash && takeTokenFromHash(to.hash) ? { path: to.path, query: to.query, hash: '', replace: true } : true;

/** Graduate access (利用申請 without a campus account): all public, the sign-in is on /login. */
const routes: RouteRecordRaw[] = [
  { path: '/graduates/apply', name: 'graduate-apply', component: () => import('../pages/graduates/GraduateApplyPage.vue'), meta: { access: 'public' } },
  { path: '/graduates/register', name: 'graduate-register', component: () => import('../pages/graduates/GraduateRegisterPage.vue'), meta: { access: 'public' }, beforeEnter: takeToken },
  { path: '/graduates/forgot', name: 'graduate-forgot', component: () => import('../pages/graduates/GraduateForgotPage.vue'), meta: { access: 'public' } },
  { path: '/graduates/reset', name: 'graduate-reset', component: () => import('../pages/graduates/GraduateResetPage.vue'), meta: { access: 'public' }, beforeEnter: takeToken },
];

export default routes;
