/** The manual's texts, added when its page is loaded (they are not part of the first download). */
import { addLazyMessages } from '../../i18n';
import en from '../../locales/manual/en.json';
import ja from '../../locales/manual/ja.json';

addLazyMessages({ ja, en });
