import type { RouteLocationNormalized, RouteRecordRaw } from 'vue-router';
import { takeTokenFromHash } from '../confirmToken';
import GraduateApplyPage from '../pages/graduates/GraduateApplyPage.vue';
import GraduateForgotPage from '../pages/graduates/GraduateForgotPage.vue';
import GraduateRegisterPage from '../pages/graduates/GraduateRegisterPage.vue';
import GraduateResetPage from '../pages/graduates/GraduateResetPage.vue';

/** The token of a mailed link leaves the address bar (replaceState) before anything is shown or fetched. */
const takeToken = (to: RouteLocationNormalized) =>
  to.hash && takeTokenFromHash(to.hash) ? { path: to.path, query: to.query, hash: '', replace: true } : true;

/** Graduate access (利用申請 without a campus account): all public, the sign-in is on /login. */
const routes: RouteRecordRaw[] = [
  { path: '/graduates/apply', name: 'graduate-apply', component: GraduateApplyPage, meta: { access: 'public' } },
  { path: '/graduates/register', name: 'graduate-register', component: GraduateRegisterPage, meta: { access: 'public' }, beforeEnter: takeToken },
  { path: '/graduates/forgot', name: 'graduate-forgot', component: GraduateForgotPage, meta: { access: 'public' } },
  { path: '/graduates/reset', name: 'graduate-reset', component: GraduateResetPage, meta: { access: 'public' }, beforeEnter: takeToken },
];

export default routes;
