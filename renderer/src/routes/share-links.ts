import type { RouteRecordRaw } from 'vue-router';

/** 共有リンク: the holder's links of one certificate, and the page a link opens (public; the token in the #fragment). */
const routes: RouteRecordRaw[] = [
  {
    path: '/certificates/share/:number',
    name: 'share-links',
    component: () => import('../pages/share-links/ShareLinksPage.vue'),
    meta: { access: 'mail' },
  },
  { path: '/shared', name: 'shared-certificate', component: () => import('../pages/share-links/SharedCertificatePage.vue'), meta: { access: 'public' } },
];

export default routes;
