import type { Language, MailMessage } from '../model.js';
import { escapeHtml } from '../html.js';

export interface MailParts {
  subject: string;
  /** Paragraphs; a paragraph that is exactly `{url}` becomes a link. */
  paragraphs: string[];
}

const FOOTER: Record<Language, string[]> = {
  ja: ['※このメールに心当たりのない場合は、削除してください。', '※このメールは送信専用です。お問い合わせ先は各事務担当までお願いします。'],
  en: [
    "*Please delete this message if you don't recognize it.",
    '*This mail address is used only for sending. Please direct inquiries to your university office.',
  ],
};

/** A mail in ja or en with our footer, as text and HTML. Feature mails (domain/<area>/mails.ts) use it too. */
export function render(to: string, language: Language, parts: MailParts, url?: string): MailMessage {
  const paragraphs = [...parts.paragraphs, ...FOOTER[language]];
  const text = paragraphs.map((p) => (p === '{url}' ? (url ?? '') : p)).join('\n\n') + '\n';
  const html =
    `<!doctype html><html lang="${language}"><body style="font-family:sans-serif;line-height:1.6">` +
    paragraphs
      .map((p) => (p === '{url}' && url ? `<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>` : `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`))
      .join('') +
    '</body></html>';
  return { to, language, subject: parts.subject, text, html };
}

export const formatExpiry = (expiresAt: Date, language: Language) =>
  new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Tokyo',
  }).format(expiresAt) + (language === 'ja' ? '(日本時間)' : ' (Japan time)');

/** 確認メール for the first-login registration and for a change of address (manual §2.1, §2.4). */
export function verificationMail(options: {
  to: string;
  language: Language;
  purpose: 'register' | 'change';
  url: string;
  expiresAt: Date;
  validMinutes: number;
}): MailMessage {
  const { language, purpose, url, expiresAt, validMinutes } = options;
  const expiry = formatExpiry(expiresAt, language);
  const parts: MailParts =
    language === 'ja'
      ? {
          subject: purpose === 'register' ? '【証明書発行サービス】メールアドレス設定の確認' : '【証明書発行サービス】メールアドレス変更の確認',
          paragraphs: [
            purpose === 'register'
              ? 'メールアドレスを設定できます。以下のURLにアクセスし、メールアドレスの設定を完了してください。'
              : 'メールアドレスを変更できます。以下のURLにアクセスし、メールアドレスの変更を完了してください。',
            '{url}',
            `URLの有効期限:${validMinutes}分(${expiry}まで)`,
          ],
        }
      : {
          subject:
            purpose === 'register'
              ? '[Certificate Issuance Service] Confirm your mail address'
              : '[Certificate Issuance Service] Confirm your new mail address',
          paragraphs: [
            purpose === 'register'
              ? 'You can set your mail address. Access the following URL and complete the mail address setting:'
              : 'You can change your email address. Access the following URL and change your email address:',
            '{url}',
            `Due date for the URL: ${validMinutes} minutes (until ${expiry})`,
          ],
        };
  return render(options.to, language, parts, url);
}

/** Sent to the OLD address after a change, so that an unexpected change is noticed. */
export function mailChangedNotice(options: { to: string; language: Language; newMail: string; at: Date }): MailMessage {
  const { language, newMail, at } = options;
  const when = formatExpiry(at, language);
  const masked = maskMail(newMail);
  const parts: MailParts =
    language === 'ja'
      ? {
          subject: '【証明書発行サービス】メールアドレスが変更されました',
          paragraphs: [
            `${when}に、証明書発行サービスに登録されたメールアドレスが ${masked} に変更されました。今後のお知らせは新しいアドレスに送信されます。`,
            'この変更に心当たりがない場合は、至急、大学の事務担当までご連絡ください。',
          ],
        }
      : {
          subject: '[Certificate Issuance Service] Your mail address was changed',
          paragraphs: [
            `On ${when}, the mail address registered with the Certificate Issuance Service was changed to ${masked}. Further notices will be sent to the new address.`,
            'If you did not make this change, please contact your university office at once.',
          ],
        };
  return render(options.to, language, parts);
}

/** "taro.yamada@example.ac.jp" → "ta******@example.ac.jp": enough to recognise, not to harvest. */
export function maskMail(mail: string): string {
  const at = mail.lastIndexOf('@');
  if (at < 1) return '***';
  const local = mail.slice(0, at);
  return `${local.slice(0, Math.min(2, local.length))}${'*'.repeat(Math.max(3, local.length - 2))}${mail.slice(at)}`;
}
