import { defineAsyncComponent } from 'vue';

/**
 * The demo-mode notice as its own chunk, fetched only when the session says demo mode (its file
 * is named after the mode notice, so a production bundle carries no demo wording at all).
 */
export const DemoNotice = defineAsyncComponent(() => import('./ModeNotice.vue'));
