import { i18n } from '../i18n';
import en from './locales/en.json';
import ja from './locales/ja.json';

// Demo-only texts join the messages when this chunk loads (demo mode only).
i18n.global.mergeLocaleMessage('ja', ja);
i18n.global.mergeLocaleMessage('en', en);
