import { nextTick } from 'vue';
import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteLocationRaw, type RouteRecordRaw } from 'vue-router';
import { takeLinkToken } from './linkToken';
import { useSessionStore } from './stores/session';

/**
 * Who may open a screen:
 * - public: anyone;
 * - signedIn: a signed-in account, with or without a registered mail address;
 * - registration: signed in and no mail address yet (else → /home);
 * - mail: signed in with a registered mail address (else → /mail/register);
 * - staff: the staff console; its routes guard themselves (staff sign-in is separate).
 */
export type Access = 'public' | 'signedIn' | 'registration' | 'mail' | 'staff';

/** Features add screens in `routes/<feature>.ts` (default export: RouteRecordRaw[]). */
const featureRoutes: RouteRecordRaw[] = Object.values(import.meta.glob<RouteRecordRaw[]>('./routes/*.ts', { eager: true, import: 'default' })).flat();

declare module 'vue-router' {
  interface RouteMeta {
    access: Access;
    /**
     * Still shown while the service is not open (setup incomplete): the manual, /verify, /store.
     * Every other student screen leads to the "not open yet" page then; staff screens are not affected.
     */
    whileClosed?: boolean;
  }
}

// Every screen (and, in routes/*.ts, the staff console as a whole) is a chunk of its own, fetched
// when first opened: the first page carries only itself.
export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/', redirect: '/home', meta: { access: 'public' } },
    { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { access: 'public' } },
    { path: '/mail/register', name: 'mail-register', component: () => import('./pages/MailRegistrationPage.vue'), meta: { access: 'registration' } },
    { path: '/mail/sent', name: 'mail-sent', component: () => import('./pages/MailSentPage.vue'), meta: { access: 'signedIn' } },
    {
      path: '/mail/confirm',
      name: 'mail-confirm',
      component: () => import('./pages/MailConfirmPage.vue'),
      meta: { access: 'public' },
      beforeEnter: takeLinkToken,
    },
    { path: '/home', name: 'home', component: () => import('./pages/PrintDestinationPage.vue'), meta: { access: 'mail' } },
    { path: '/mail/change', name: 'mail-change', component: () => import('./pages/MailChangePage.vue'), meta: { access: 'mail' } },
    { path: '/manual', name: 'manual', component: () => import('./pages/ManualPage.vue'), meta: { access: 'public', whileClosed: true } },
    { path: '/not-open', name: 'not-open', component: () => import('./pages/NotOpenPage.vue'), meta: { access: 'public', whileClosed: true } },
    ...featureRoutes,
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { access: 'public', whileClosed: true } },
  ],
  scrollBehavior(to, from, savedPosition) {
    if (savedPosition) return savedPosition;
    if (to.name === 'manual' && to.hash) return { el: to.hash };
    if (to.path === from.path) return false;
    return { top: 0 };
  },
});

async function guard(to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const session = useSessionStore();
  // Offline-capable screens (the QR check at /verify) open even when the service is unreachable.
  if (to.meta.offline === true) {
    session.ensureSession().catch(() => undefined);
    return true;
  }
  await session.ensureSession();
  const access = to.meta.access;
  if (access === 'staff') return true;
  if (!session.open && !to.meta.whileClosed) return { name: 'not-open' };
  if (session.open && to.name === 'not-open') return { path: '/login' };
  if (access === 'public') return true;

  const { me, code } = await session.ensureMe();
  if (!me) return code === 'auth.sessionExpired' ? { path: '/login', query: { error: code } } : { path: '/login' };
  if (access === 'registration') return me.mail === null ? true : { path: '/home' };
  if (access === 'mail' && me.mail === null) return { path: '/mail/register' };
  return true;
}

router.beforeEach(guard);

// Move focus to the new screen's heading so keyboard and screen-reader users start there
// (not on the first page load, and not when only the #fragment changed).
router.afterEach((to, from, failure) => {
  if (failure || from.matched.length === 0 || to.path === from.path) return;
  void nextTick(() => document.getElementById('page-title')?.focus({ preventScroll: true }));
});
