import type { RouteRecordRaw } from 'vue-router';
import { takeLinkToken } from '../linkToken';

/** Graduate access (利用申請 without a campus account): all public, the sign-in is on /login. */
const routes: RouteRecordRaw[] = [
  { path: '/graduates/apply', name: 'graduate-apply', component: () => import('../pages/graduates/GraduateApplyPage.vue'), meta: { access: 'public' } },
  {
    path: '/graduates/register',
    name: 'graduate-register',
    component: () => import('../pages/graduates/GraduateRegisterPage.vue'),
    meta: { access: 'public' },
    beforeEnter: takeLinkToken,
  },
  { path: '/graduates/forgot', name: 'graduate-forgot', component: () => import('../pages/graduates/GraduateForgotPage.vue'), meta: { access: 'public' } },
  {
    path: '/graduates/reset',
    name: 'graduate-reset',
    component: () => import('../pages/graduates/GraduateResetPage.vue'),
    meta: { access: 'public' },
    beforeEnter: takeLinkToken,
  },
];

export default routes;
