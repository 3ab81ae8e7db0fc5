/** Every mail ends with the institution's name and contact, in the mail's language. */
import { escapeHtml } from '../html.js';
import type { Language, MailMessage } from '../model.js';
import type { InstitutionProfile } from './model.js';

const LABELS: Record<Language, { service: string; contact: string; phone: string; hours: string; mail: string }> = {
  ja: { service: '証明書発行サービス', contact: 'お問い合わせ先', phone: '電話', hours: '受付時間', mail: 'メール' },
  en: { service: 'Certificate Issuance Service', contact: 'Inquiries', phone: 'Phone', hours: 'Hours', mail: 'Mail' },
};

/** The signature's lines for `profile` in `language`. */
export function signatureLines(profile: InstitutionProfile, language: Language): string[] {
  const l = LABELS[language];
  const { contact } = profile;
  return [
    `${profile.name[language]} ${l.service}`,
    `${l.contact}: ${contact.office[language]}`,
    `${l.phone}: ${contact.phone} (${l.hours}: ${contact.hours[language]})`,
    `${l.mail}: ${contact.mail}`,
    ...(contact.webUrl ? [contact.webUrl] : []),
  ];
}

export function signMail(message: MailMessage, profile: InstitutionProfile): MailMessage {
  const lines = signatureLines(profile, message.language);
  const text = `${message.text.replace(/\n+$/, '')}\n\n${'―'.repeat(20)}\n${lines.join('\n')}\n`;
  const block = `<hr><p>${lines.map((line) => escapeHtml(line)).join('<br>')}</p>`;
  const html = message.html.includes('</body>') ? message.html.replace('</body>', `${block}</body>`) : message.html + block;
  return { ...message, text, html };
}

/** Signs a mail with the current profile (unsigned while there is none). */
export function signingWith(profile: () => Promise<InstitutionProfile | null>): (message: MailMessage) => Promise<MailMessage> {
  return async (message) => {
    const current = await profile();
    return current ? signMail(message, current) : message;
  };
}
