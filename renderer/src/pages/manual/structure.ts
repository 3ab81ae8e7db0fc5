/**
 * The outline of the user manual: chapters, their sections and the sections' parts, in order.
 * The texts are in `locales/manual/<lang>.json` under `manual.<id>`; the numbers (1, 1.1, (a))
 * follow from the order here, so adding a section renumbers the rest by itself. Each id is also
 * the section's anchor (`/manual#<id>`), kept stable because screens link to them.
 */

/** Content that is not text from the locale files. */
export type ManualExtra = 'environments';

export interface ManualPart {
  id: string;
}

export interface ManualSection {
  id: string;
  /** Sub-steps such as (a) ログイン画面 / (b) 印刷先選択画面. */
  parts?: readonly ManualPart[];
  /** Rendered before the text blocks (the supported environments and the contact block). */
  extra?: ManualExtra;
  /** Sections to read next, shown as "▶ 2.2 ログイン方法" links. */
  related?: readonly string[];
  /** A screen of the service opened from here (its label is `manual.<id>.link`). */
  link?: string;
}

export interface ManualChapter {
  id: string;
  sections: readonly ManualSection[];
}

export const MANUAL: readonly ManualChapter[] = [
  {
    id: 'intro',
    sections: [{ id: 'precautions', extra: 'environments' }, { id: 'overview', related: ['firstLogin', 'signIn', 'issue', 'logout'] }, { id: 'openManual' }],
  },
  {
    id: 'login',
    sections: [
      { id: 'firstLogin', related: ['trouble', 'signIn'] },
      { id: 'signIn', related: ['firstLogin', 'graduates'] },
      { id: 'studentId', related: ['issue'] },
      { id: 'mailChange', related: ['trouble'] },
      { id: 'language', parts: [{ id: 'languageLogin' }, { id: 'languageHome' }] },
      { id: 'graduates', parts: [{ id: 'graduateApply' }, { id: 'graduateLogin' }, { id: 'graduateReset' }], related: ['studentId'] },
      { id: 'logout', related: ['kiosk'] },
    ],
  },
  {
    id: 'certificates',
    sections: [
      { id: 'printDestination' },
      { id: 'issue', related: ['convenience', 'campus', 'mail', 'pdf', 'share', 'verify'] },
      { id: 'convenience', related: ['cancel'] },
      { id: 'campus', parts: [{ id: 'campusKiosk' }, { id: 'campusRemote' }], related: ['kiosk'] },
      { id: 'mail' },
      { id: 'pdf', related: ['verify'] },
      { id: 'cancel' },
      { id: 'share', related: ['verify'] },
      { id: 'credential', related: ['verifyCredential'] },
    ],
  },
  {
    id: 'verification',
    sections: [
      { id: 'verify', link: '/verify' },
      { id: 'verifyQr', link: '/verify' },
      { id: 'verifyCredential', link: '/verify' },
    ],
  },
  {
    id: 'kioskUse',
    sections: [{ id: 'kiosk', related: ['campus', 'logout'] }, { id: 'kioskInput' }],
  },
  {
    id: 'help',
    sections: [
      { id: 'trouble', related: ['firstLogin'] },
      { id: 'sessionEnded', related: ['signIn'] },
      { id: 'cannotOrder', related: ['precautions'] },
    ],
  },
];

/** Section id → its number ("2.3"), for headings, the table of contents and "see also" links. */
export function sectionNumbers(manual: readonly ManualChapter[] = MANUAL): Map<string, string> {
  const numbers = new Map<string, string>();
  manual.forEach((chapter, c) => chapter.sections.forEach((section, s) => numbers.set(section.id, `${c + 1}.${s + 1}`)));
  return numbers;
}

/** (a), (b), … for the parts of a section. */
export const partLetter = (index: number): string => `(${String.fromCharCode(97 + index)})`;
