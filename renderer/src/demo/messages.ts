import { addLazyMessages } from '../i18n';
import en from './locales/en.json';
import ja from './locales/ja.json';

// Demo-only texts join the messages when this chunk loads (demo mode only).
addLazyMessages({ ja, en });
