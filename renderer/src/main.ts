// Noto Sans JP: the full font by unicode-range slices, and the first page's characters in one small file per weight (renderer/ui-font.ts).
import './styles/ui-font/fonts.css';
import './styles/main.css';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { applyLanguage, chosenLanguage, i18n } from './i18n';
import { router } from './router';
import { reportFatal } from './composables/fatal';

const app = createApp(App);
app.use(createPinia());
app.use(i18n);
app.use(router);

// Anything no screen handled ends on the translated error screen, never a blank page.
app.config.errorHandler = (error) => reportFatal(error);
router.onError((error) => reportFatal(error));

// The texts of the language this browser chose last (Japanese at first) before anything is shown;
// the session may still switch to the account's language.
await applyLanguage(chosenLanguage() ?? 'ja').catch(reportFatal);
app.mount('#app');
