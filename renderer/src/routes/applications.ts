import type { RouteRecordRaw } from 'vue-router';
import { takeLinkToken } from '../linkToken';

/** 利用申請: 学籍番号追加登録 (manual §2.3) and 編集して再申請. */
const routes: RouteRecordRaw[] = [
  {
    path: '/applications/student-id/notes',
    name: 'student-id-notes',
    component: () => import('../pages/applications/StudentIdNotesPage.vue'),
    meta: { access: 'mail' },
  },
  {
    path: '/applications/student-id/sent',
    name: 'student-id-sent',
    component: () => import('../pages/applications/StudentIdSentPage.vue'),
    meta: { access: 'mail' },
  },
  {
    path: '/applications/student-id',
    name: 'student-id-application',
    component: () => import('../pages/applications/StudentIdApplicationPage.vue'),
    // The mailed link may be opened on a phone where nobody is signed in.
    meta: { access: 'public' },
    beforeEnter: takeLinkToken,
  },
  {
    path: '/applications/:id/edit',
    name: 'application-edit',
    component: () => import('../pages/applications/ApplicationResubmitPage.vue'),
    meta: { access: 'mail' },
  },
];

export default routes;
