/** The student screens' texts in one language: one chunk, fetched when that language is shown. */
import core from '../locales/ja.json';
import type { Messages } from '../locales/merge';
import { bundle } from './features';

// Literal globs (Vite reads them at build time); the console's features and the manual load with their pages.
const files = import.meta.glob<Messages>(
  [
    '../locales/*/ja.json',
    '!../locales/manual/*',
    '!../locales/admin/*',
    '!../locales/adminAudit/*',
    '!../locales/adminCertificates/*',
    '!../locales/adminInstitution/*',
    '!../locales/adminMail/*',
    '!../locales/adminTerminals/*',
    '!../locales/certificateType/*',
    '!../locales/registry/*',
  ],
  { eager: true, import: 'default' },
);

export default bundle(core, files);
