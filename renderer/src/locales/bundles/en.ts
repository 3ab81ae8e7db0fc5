/** The student screens' texts in one language: one chunk, fetched when that language is shown. */
import core from '../en.json';
import type { Messages } from '../merge';
import { bundle } from './features';

// Literal globs (Vite reads them at build time); the console's features and the manual load with their pages.
const files = import.meta.glob<Messages>(
  [
    '../*/en.json',
    '!../manual/*',
    '!../admin/*',
    '!../adminAudit/*',
    '!../adminCertificates/*',
    '!../adminInstitution/*',
    '!../adminTerminals/*',
    '!../certificateType/*',
    '!../registry/*',
  ],
  { eager: true, import: 'default' },
);

export default bundle(core, files);
