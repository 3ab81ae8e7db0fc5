/** The staff console's texts (both languages: the console is no first page); they come with its chunk. */
import type { Language } from '@contract/api';
import type { Messages } from '../locales/merge';
import { bundle } from './features';

const files = import.meta.glob<Messages>(
  [
    '../locales/admin/*.json',
    '../locales/adminAudit/*.json',
    '../locales/adminCertificates/*.json',
    '../locales/adminInstitution/*.json',
    '../locales/adminMail/*.json',
    '../locales/adminTerminals/*.json',
    '../locales/certificateType/*.json',
    '../locales/registry/*.json',
  ],
  { eager: true, import: 'default' },
);

const of = (language: Language) => bundle({}, Object.fromEntries(Object.entries(files).filter(([file]) => file.endsWith(`/${language}.json`))));

export const consoleMessages: Record<Language, Messages> = { ja: of('ja'), en: of('en') };
