import type { RouteRecordRaw } from 'vue-router';
import ApplicationResubmitPage from '../pages/applications/ApplicationResubmitPage.vue';
import StudentIdApplicationPage from '../pages/applications/StudentIdApplicationPage.vue';
import StudentIdNotesPage from '../pages/applications/StudentIdNotesPage.vue';
import StudentIdSentPage from '../pages/applications/StudentIdSentPage.vue';
import { takeLinkTokenFromHash } from '../pages/applications/linkToken';

/** 利用申請: 学籍番号追加登録 (manual §2.3) and 編集して再申請. */
const routes: RouteRecordRaw[] = [
  { path: '/applications/student-id/notes', name: 'student-id-notes', component: StudentIdNotesPage, meta: { access: 'mail' } },
  { path: '/applications/student-id/sent', name: 'student-id-sent', component: StudentIdSentPage, meta: { access: 'mail' } },
  {
    path: '/applications/student-id',
    name: 'student-id-application',
    component: StudentIdApplicationPage,
    // The mailed link may be opened on a phone where nobody is signed in.
    meta: { access: 'public' },
    // The token leaves the address bar (replaceState) before anything is shown or fetched.
    beforeEnter: (to) => (to.hash && takeLinkTokenFromHash(to.hash) ? { path: to.path, query: to.query, hash: '', replace: true } : true),
  },
  { path: '/applications/:id/edit', name: 'application-edit', component: ApplicationResubmitPage, meta: { access: 'mail' } },
];

export default routes;
